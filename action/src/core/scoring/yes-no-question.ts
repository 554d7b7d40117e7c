/**
 * What a yes/no question asks, so that a statement answer can be read against it ("Is the liver normal?" answered
 * "No abnormality is seen in the liver." is a yes). Only the shape of the question is used, never the gold.
 *
 *  - 'normal' / 'abnormal': "Is the liver normal?", "Does the heart look healthy?" / "Is the lung abnormal?",
 *    "Is there an abnormality in the left lung?"; `keys` = the subject's words ("liver").
 *  - 'presence': "Is there a nodule?", "Does the image show free air?", "Is a fracture seen?"; `keys` = the asked
 *    finding's words ("free", "air"), `side` = left/right when the question names one side.
 *  - 'predicate': any other yes/no question ("Is the heart enlarged?", "Is this a CT?"); `keys` = every content
 *    word, all of which an answer sentence must mention to count.
 */
import { hasCjk } from './normalize.js';

/** A yes/no reading: an answer, two answers that disagree, or none. */
export type YesNo = 'yes' | 'no' | 'ambiguous' | null;

export type QuestionKind = 'normal' | 'abnormal' | 'presence' | 'predicate';

export interface YesNoQuestion {
  kind: QuestionKind;
  /** content words (English, lowercase) or the subject string (Chinese) that an answer clause must mention */
  keys: string[];
  /** 'left' / 'right' when the question names exactly one side */
  side: 'left' | 'right' | null;
  zh: boolean;
}

/** Words that carry no subject: auxiliaries, articles, the image itself, question framing. */
const STOP = new Set(`a an the is are was were be been does do did can could will would should has have had this that
these those there it its any some of in on at to for by with from into within image images picture scan film study
shown show shows seen see visible present noted evident identified appear appears look looks patient patients here
demonstrated depicted displayed what which you we i me us one single evidence sign signs`.split(/\s+/));

/** Head-phrase modifiers that an answer may leave out ("pleural effusion" answered "a small effusion"). */
const SOFT = new Set(['small', 'large', 'any', 'significant', 'obvious', 'acute', 'pleural', 'focal', 'definite', 'clear']);

/** A clause naming an organ is about that organ; one naming none ("No abnormality is seen") is about the image. */
export const ORGAN = /\b(?:liver|hepatic|spleen|splenic|kidneys?|renal|lungs?|pulmonary|heart|cardiac|brain|cerebral|pancrea\w*|stomach|gastric|bowel|colon\w*|bones?|spine|vertebra\w*|bladder|gallbladder|aorta|trachea|ribs?|femur|skull|uterus|prostate|thyroid|breast|mediastin\w*|diaphragm|ventricles?|sinus\w*|orbit\w*)\b/;

const PREPOSITION = /\b(?:in|on|of|at|within|near|under|around|along|involving|inside|behind|between|from|to|with|seen|present|visible|noted|shown|identified|evident)\b/;

const YES_NO_START = /^(?:(?:in|on|from|based on|according to|looking at) [^,]{1,60},\s*)?(?:is|are|was|were|does|do|did|can|could|has|have|had|will|would|should)\b/i;

export function parseYesNoQuestion(question: string | undefined): YesNoQuestion | null {
  if (!question || !question.trim()) return null;
  if (hasCjk(question)) return /吗|么|是否|[?？]/u.test(question) ? parseZh(question) : null;
  // only a recognisable yes/no question gives context; anything else reads as if there were none
  return YES_NO_START.test(question.trim()) ? parseEn(question) : null;
}

function parseEn(question: string): YesNoQuestion {
  const q = question.toLowerCase().replace(/^[^,]{1,60},\s*(?=(?:is|are|was|were|does|do|did|can|could|has|have)\b)/, '').replace(/[?？!.]+\s*$/, '').replace(/[^\p{L}\p{N}\s'-]/gu, ' ').trim();
  const side = sideOf(q);
  if (/\babnormal/.test(q)) return { kind: 'abnormal', keys: contentWords(q, /^abnormal/), side, zh: false };
  if (/\b(?:normal|healthy)\b/.test(q)) return { kind: 'normal', keys: contentWords(q, /^(?:normal|healthy)$/), side, zh: false };
  const phrase = presencePhrase(q);
  if (phrase !== null) {
    // "a brain tumor" is answered by "no evidence of a tumor": soft modifiers and organ words may be left out
    const words = contentWords(phrase).filter((w) => !SOFT.has(w) && !ORGAN.test(w));
    return { kind: 'presence', keys: words.length ? words : contentWords(phrase), side, zh: false };
  }
  return { kind: 'predicate', keys: contentWords(q), side, zh: false };
}

/** The asked finding of a presence question, up to its first preposition; null for other questions. */
function presencePhrase(q: string): string | null {
  const m = /^(?:is|are) there (?:any |an? |evidence of (?:an? |any )?)?(.+)$/.exec(q)
    ?? /^(?:does|do|did|can) (?:the |this )?(?:\w+ )?(?:show|contain|demonstrate|reveal|have|include|display|depict)s? (?:any |an? |evidence of (?:an? )?)?(.+)$/.exec(q)
    ?? /^(?:is|are) (?:an? |any |the )?(.+?) (?:present|seen|visible|noted|evident|identified|shown)\b/.exec(q)
    ?? /^can (?:you )?(?:see|identify) (?:an? |any |the )?(.+)$/.exec(q);
  if (!m) return null;
  const rest = m[1]!;
  const cut = PREPOSITION.exec(rest);
  return (cut && cut.index > 0 ? rest.slice(0, cut.index) : rest).trim();
}

function contentWords(text: string, drop?: RegExp): string[] {
  return text.split(/[\s-]+/).map((w) => w.replace(/'s$/, '')).filter((w) => w.length > 0 && !STOP.has(w) && !(drop?.test(w)));
}

function sideOf(q: string): 'left' | 'right' | null {
  const left = /\bleft\b/.test(q);
  const right = /\bright\b/.test(q);
  return left === right ? null : left ? 'left' : 'right';
}

/** Chinese frames around the subject: "图片中包含肾脏吗?" → 肾脏; "这张图像是关于头部吗?" → 头部. */
const ZH_FRAME = /(?:这张|这个|该|此|本)?(?:图片|图像|影像|照片|扫描)(?:中的器官|中|里|上)?|图中|病人的|患者的|是否|是关于|看起来|存在于|包含|含有|存在|显示|可见|的拍摄是通过|的|吗|么|呢|这是|是|有|[?？。!！\s]/gu;

function parseZh(question: string): YesNoQuestion {
  const side = /左/.test(question) === /右/.test(question) ? null : /左/.test(question) ? 'left' : 'right';
  const abnormal = /异常|不正常|不健康/.test(question);
  const normal = /正常|健康/.test(question);
  const subject = question.replace(/异常|不正常|不健康|正常|健康/gu, '').replace(ZH_FRAME, '').trim();
  const keys = subject ? [subject] : [];
  if (abnormal) return { kind: 'abnormal', keys, side, zh: true };
  if (normal) return { kind: 'normal', keys, side, zh: true };
  if (/包含|含有|有|存在|可见|看到|显示/.test(question.replace(/存在于/g, ''))) return { kind: 'presence', keys, side, zh: true };
  return { kind: 'predicate', keys, side, zh: true };
}

/** Crude stem equality: equal words, plural "s"/"es" dropped, or a shared first six letters ("enlarged"/"enlargement"). */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const strip = (w: string) => w.replace(/(?:es|s)$/, '');
  if (strip(a) === strip(b)) return true;
  return a.length >= 6 && b.length >= 6 && a.slice(0, 6) === b.slice(0, 6);
}

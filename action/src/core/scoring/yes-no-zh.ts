/**
 * Chinese yes/no reading. Never from the first character: "对于这张图像，肾脏是不可见的。" starts with 对 and means
 * no; "可以看到，图中并没有脾脏。" starts with 可以 and means no; "不确定。" starts with 不 and is no answer at all.
 *
 *  1. Uncertainty or refusal anywhere (无法确定, 不清楚, 不确定, 不知道, 无法判断, 难以判断, 可能…) → nothing.
 *  2. The text is cut into clauses at Chinese/Latin punctuation. Lead-ins (可以看到, 根据图像, 对于这张图像, 因此…)
 *     and restated questions (是否包含肝脏, …吗) are skipped.
 *  3. The first remaining clause that is only an answer word decides: 是/是的/对/有/包含/存在/可以 → yes;
 *     否/不是/不/没有/不包含/不存在/无/不对 → no ("是否包含肝脏：不包含。" → no).
 *  4. Otherwise statements read against the question: clauses naming the asked subject (肾脏), or bare
 *     正常/异常 for "…正常吗" questions. Negated presence (没有, 不可见, 未见, 看不到, 不包含, 不是) → no; plain
 *     presence (包含, 有, 可见, 显示, 是) → yes; normality 正常/健康/无异常 vs 异常/不正常/病变. All agree → that,
 *     otherwise ambiguous.
 */
import type { YesNo, YesNoQuestion } from './yes-no-question.js';

const UNSURE = /无法|不(?:确定|清楚|知道|好说|能确定|能判断|明确|太确定|一定)|难以|说不(?:准|清|好)|看不清|可能|或许|也许|大概|似乎|疑似|不排除|抱歉/u;
const LEAD_IN = /^(?:(?:从|根据|通过|观察|在|对于|就|经过)?(?:这张|这个|该|此|本)?(?:图片|图像|影像|图|扫描)(?:中|上|里|来看|所示|显示)?(?:可以看(?:到|出))?|(?:我们|从图中|从图像中|由图)?可以看(?:到|出)|如图所示|经过分析|分析|综上所述|综上|总之|因此|所以|故|结论|回答|最终答案)$/u;
const YES_WORDS = new Set(['是', '是的', '对', '对的', '有', '有的', '包含', '存在', '可以', '正确', '可见', '能', '能看到', '看到了', '含有']);
const NO_WORDS = new Set(['否', '不是', '不', '没有', '没', '不包含', '不存在', '无', '不对', '不可以', '不能', '不可见', '未见', '看不到', '不正确', '不含', '并没有', '没有的']);
const NEG_PRESENCE = /(?:不|没|没有|并没有|并未|未|无|并无)(?:包含|含有|有|存在|可见|见到|见|看到|显示|出现|发现)|看不(?:到|见)|不可见|未见|没有|并无|不是|并非|不含|缺失|不存在|不在/u;
const POS_PRESENCE = /包含|含有|有|存在|可见|看到|显示|出现|发现|是|位于/u;
const NO_ABNORMAL = /(?:无|没有|未见|未发现|并无|没)(?:明显)?(?:的)?(?:异常|病变|病灶|问题)/u;
const ABNORMAL = /不正常|不健康|异常|病变|病灶|肿瘤|结节|积液|骨折|出血|肿块|增大|不是正常|不是健康/u;
const NORMAL = /正常|健康/u;

export function readYesNoZh(t: string, q: YesNoQuestion | null): YesNo {
  if (UNSURE.test(t)) return null;
  const parts = t.split(/[，。；！？,.;!?：:\n、]+/u)
    .map((c) => c.replace(/\s+/g, '').replace(/^(?:因此|所以|综上所述|总之|故|答案|回答|最终答案)/u, ''))
    .filter((c) => c.length > 0 && !LEAD_IN.test(c) && !/是否|吗|么$/u.test(c));
  for (const c of parts) {
    const word = c.replace(/的?$/u, '');
    if (YES_WORDS.has(c) || YES_WORDS.has(word)) return 'yes';
    if (NO_WORDS.has(c) || NO_WORDS.has(word)) return 'no';
    if (/^[a-z]+$/i.test(c)) continue; // an English word in the answer: left to the English reader
    break; // only a leading answer word decides; later short words are part of the explanation
  }
  const read = parts.map((c) => polarity(c, q)).filter((p) => p !== null);
  if (read.length === 0) return null;
  return read.every((p) => p === read[0]) ? read[0]! : 'ambiguous';
}

function polarity(c: string, q: YesNoQuestion | null): 'yes' | 'no' | null {
  if (!q) return null;
  const mentions = q.keys.length === 0 || q.keys.every((k) => c.includes(k));
  if (q.side && !c.includes(q.side === 'left' ? '左' : '右') && c.includes(q.side === 'left' ? '右' : '左')) return null;
  if (q.kind === 'normal' || q.kind === 'abnormal') {
    const bare = /^(?:它|这|这张图片|这张图像|图像|图片|看起来|整体|都)*(?:是|看起来)?(?:正常|健康|不正常|不健康|异常)的?$/u.test(c);
    if (!mentions && !bare) return null;
    let p: 'yes' | 'no' | null = null;
    if (NO_ABNORMAL.test(c)) p = 'yes';
    else if (ABNORMAL.test(c)) p = 'no';
    else if (NORMAL.test(c)) p = 'yes';
    if (p === null || q.kind === 'normal') return p;
    return p === 'yes' ? 'no' : 'yes';
  }
  if (!mentions || q.keys.length === 0) return null;
  if (NEG_PRESENCE.test(c)) return 'no';
  return POS_PRESENCE.test(c) ? 'yes' : null;
}

/**
 * Cue features of the question-type classifier: one feature per kind of question, fired by English and Chinese
 * wordings alike, so weights learned on one language apply to the other. The kinds follow the labelling guide
 * (docs/question-type-guide.md): modality/plane/anatomy/location/attributes/knowledge point to understanding,
 * abnormality/diagnosis/treatment/cause to reasoning — but the weights are learned, not set here.
 * Input: NFKC-normalised, lowercased question text.
 */
const CUES: Array<[name: string, english: RegExp, chinese: RegExp]> = [
  ['modality', /\b(modality|mri|mr|ct|x-?ray|scan|sequence|weight(ed|ing)|t1|t2|flair|ultrasound|contrast|kind of image|type of image|imaging)\b/, /模态|成像|核磁|x光|加权|扫描|造影|什么类型的图像/],
  ['plane', /\b(plane|axial|coronal|sagittal|transverse|section|view)\b/, /平面|横断面|冠状面|矢状面|切面/],
  ['organ', /\b(which organs?|what organs?|organ system|part of the body|body part|contain|present|visible|be seen|visualized)\b/, /哪个器官|什么器官|器官系统|身体哪个部分|包含|有.*吗|可见/],
  ['location', /\b(where|located|location|which side|left or right|right or left|which lobe|quadrant)\b/, /哪里|在哪|位置|哪一侧|哪侧|左侧还是右侧|哪个叶|哪一个叶/],
  ['attribute', /\b(how many|colou?r|shape|biggest|largest|smallest|bigger|smaller)\b/, /多少|几个|颜色|形状|更大|更小|最大|最小/],
  ['knowledge', /\b(belong to|function|responsible for|used for|receive sound|secrete)\b/, /属于|功能|作用|分泌|接收声音/],
  ['abnormal', /\b(abnormal(ity|ities)?|normal(ly)?|healthy|lesions?|mass(es)?|tumou?rs?|fractur\w*|effusion|edema|pneumo\w+|aneurysm|infarct\w*|hemorrhage|evidence of|free air|fluid|enlarged|dilated|obscured|flattened)\b/, /异常|病变|肿瘤|正常|健康|病灶|积液|骨折/],
  ['diagnosis', /\b(diagnos\w*|disease|most likely|consistent with|suggest\w*|patient have|does this image show)\b/, /诊断|疾病|什么病|患有/],
  ['treatment', /\b(treat\w*|therapy|manag\w*|next step|prevent\w*|symptoms?)\b/, /治疗|预防|症状/],
  ['cause', /\b(cause\w*|why|etiology|mechanism|due to|result of|affected|reflecting)\b/, /原因|病因|为什么|引起|导致/],
];

export function cueFeatures(text: string): string[] {
  return CUES.filter(([, en, zh]) => en.test(text) || zh.test(text)).map(([name]) => `cue:${name}`);
}

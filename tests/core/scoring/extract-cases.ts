/**
 * Realistic model outputs for the extraction chain, each with the answer a careful human reader would record
 * (null = unparsed: no answer, several answers, or a refusal). Shared by extract.test.ts and score.test.ts.
 */
export const ORGANS = { A: 'Lung', B: 'Liver', C: 'Heart', D: 'Kidney' };
export const YES_NO = { A: 'yes', B: 'no' };
export const YES_NO_ZH = { A: '是', B: '否' };
export const SIDES = { A: 'left', B: 'top', C: 'upper left' };
export const MXQ = {
  A: 'Lateral collateral ligament complex repair or reconstruction',
  B: 'Capsular plication',
  C: 'Radial head replacement',
  D: 'Radial head ORIF',
  E: 'Medial collateral ligament complex reconstruction',
};

export type Case = [label: string, response: string, choices: Record<string, string>, expected: string | null];
/** A case whose reading needs the item's question (yes/no statements are read against it). */
export type QuestionCase = [label: string, response: string, choices: Record<string, string>, expected: string | null, question: string];

export const BOXED_CASES: Case[] = [
  ['plain box', 'The opacity is in the right lower lobe.\n\n\\boxed{A}', ORGANS, 'A'],
  ['box with text', 'Therefore the enlarged organ is the liver. \\boxed{\\text{B}}', ORGANS, 'B'],
  ['box with letter and option', 'Final: \\boxed{B. Liver}', ORGANS, 'B'],
  ['box with parenthesised letter', 'So the answer is \\boxed{(C)}.', ORGANS, 'C'],
  ['box with option text only', '\\boxed{Heart}', ORGANS, 'C'],
  ['box with \\text option text', '\\boxed{\\text{Kidney}}', ORGANS, 'D'],
  ['box option starting with a filler word', '\\boxed{Isoniazid}', { A: 'Rifampin', B: 'Isoniazid' }, 'B'],
  ['last box wins', 'First I thought \\boxed{A}, but on reflection the lesion is hepatic. \\boxed{B}', ORGANS, 'B'],
  ['box in markdown', '**Step 1:** Identify the organ.\n**Step 2:** It is the heart.\n\n**Final answer:** $\\boxed{C}$', ORGANS, 'C'],
  ['nested braces', 'The answer is \\boxed{\\textbf{\\text{D}}}', ORGANS, 'D'],
  ['box lowercase letter', '\\boxed{b}', ORGANS, 'B'],
  ['box yes', 'There is a clear fracture line. \\boxed{yes}', YES_NO, 'A'],
  ['box No capitalised', 'No pneumothorax is visible. \\boxed{No}', YES_NO, 'B'],
  ['box letter for yes/no', 'The finding is absent, so option B. \\boxed{B}', YES_NO, 'B'],
  ['box with two letters', 'It could be either. \\boxed{A, C}', ORGANS, null],
  ['box names nothing valid', 'The size is \\boxed{4.5 cm}', ORGANS, null],
  ['box letter beyond options', '\\boxed{F}', MXQ, null],
  ['fbox', 'Answer: \\fbox{E}', MXQ, 'E'],
  ['box after think', '<think>Option A seems plausible, but C is classic.</think>\nThe answer is \\boxed{C}.', MXQ, 'C'],
  ['box overrides earlier trigger', 'The answer is A. Wait, re-checking the radiograph, \\boxed{D}', MXQ, 'D'],
  ['box with spaces', '\\boxed{ E }', MXQ, 'E'],
];

export const THINKING_CASES: Case[] = [
  ['think then letter', '<think>\nThe image shows cardiomegaly. So heart.\n</think>\n\nC', ORGANS, 'C'],
  ['letters only inside think', '<think>A? B? Probably B.</think>', ORGANS, null],
  ['unterminated think (truncated)', '<think>\nLet me analyse each option. A. Lung: no. B. Liver: possibly', ORGANS, null],
  ['lone closing think tag', 'The user asks about the organ. The liver is enlarged.\n</think>\n\\boxed{B}', ORGANS, 'B'],
  ['answer after think with trigger', '<think>considering yes vs no</think>The answer is no.', YES_NO, 'B'],
  ['think contains yes, answer says no', '<think>Is there a mass? yes maybe... no.</think>\nNo.', YES_NO, 'B'],
  ['empty after think', '<think>Long reasoning that never ends properly</think>', ORGANS, null],
  ['whitespace only', '   \n  ', ORGANS, null],
];

export const TRIGGER_CASES: Case[] = [
  ['the answer is X', 'The heart is enlarged. The answer is C.', ORGANS, 'C'],
  ['Answer: X', 'Answer: B', ORGANS, 'B'],
  ['markdown bold answer', '**Answer:** D', ORGANS, 'D'],
  ['markdown bold letter', 'After review of the image, **Answer: (A)**', ORGANS, 'A'],
  ['final answer colon', 'Reasoning: the mass is hyperechoic.\nFinal answer: E', MXQ, 'E'],
  ['correct option is', 'Comparing the options, the correct option is (B) Capsular plication.', MXQ, 'B'],
  ['correct answer is option text', 'The correct answer is Radial head replacement.', MXQ, 'C'],
  ['answer is option with lowercase letter', 'the answer is b', ORGANS, 'B'],
  ['answer is lowercase parenthesised', 'so the answer is (d).', ORGANS, 'D'],
  ['answer is A because', 'The answer is A because the lateral complex restores rotatory stability.', MXQ, 'A'],
  ['trigger with option word', 'Therefore, the answer is option C.', ORGANS, 'C'],
  ['MedXpertQA style', 'Let us think step by step... Therefore, among A through E, the answer is D.', MXQ, 'D'],
  ['last trigger wins', 'Answer: A\nOn second look the lesion is cardiac.\nFinal answer: C', ORGANS, 'C'],
  ['trigger yes', 'Answer: Yes, there is a nodule in the right upper lobe.', YES_NO, 'A'],
  ['trigger no with node', 'Answer: no. The lymph node is normal in size.', YES_NO, 'B'],
  ['trigger line with two letters', 'The answer is A or C; I cannot narrow it further.', ORGANS, null],
  ['answer is article a', 'The answer is a lung lesion.', ORGANS, 'A'],
  ['I would choose', 'Given the findings, I would choose B.', ORGANS, 'B'],
  ['concluding sentence after option review', 'Option A is unlikely given the clear lungs. Option B is possible.\nTherefore, C is the correct answer.', ORGANS, 'C'],
  ['parenthesised letter is the best option', 'Weighing everything, (D) is the best option here.', MXQ, 'D'],
  ['negated conclusion is not an answer', 'A is not correct and B is not correct either.', ORGANS, null],
  ['answer tag', '<answer>C</answer>', ORGANS, 'C'],
  ['answer tag with text', 'Reasoning here.\n<answer>Liver</answer>', ORGANS, 'B'],
  ['unterminated answer tag', 'Step 1... <answer>D', ORGANS, 'D'],
  ['answer tag with reasoning then trigger', '<answer>The lesion is in the liver, so the answer is B.</answer>', ORGANS, 'B'],
  ['Chinese trigger', '根据图像，肝脏明显增大。答案：B', ORGANS, 'B'],
  ['Chinese 答案是', '经过分析，答案是C。', ORGANS, 'C'],
  ['Chinese yes', '图片中可以看到肝脏。答案：是', YES_NO_ZH, 'A'],
  ['Chinese no', '答案是：不包含', YES_NO_ZH, 'B'],
  ['trigger: leading Yes decides over a later determiner no', 'Answer: Yes, there is no fracture.', YES_NO, 'A'],
  ['negated trigger only', 'The answer is not yes.', YES_NO, null],
  ['negated option before the trigger', 'Option D is not correct, the answer is B', ORGANS, 'B'],
  ['later negated trigger falls back to the earlier one', 'Answer: B\nExplanation: the answer is not A because the lung is clear.', ORGANS, 'B'],
  ['later negated trigger with option text', 'Answer: B\n\nWhy not the others? The answer is not C (heart).', ORGANS, 'B'],
  ['trigger letter rejected in the same breath', 'The answer is D is incorrect', ORGANS, null],
  ['negated option alone', 'Option D is not correct.', ORGANS, null],
];

export const BARE_CASES: Case[] = [
  ['bare letter', 'B', ORGANS, 'B'],
  ['bare lowercase letter', 'b', ORGANS, 'B'],
  ['letter with period', 'C.', ORGANS, 'C'],
  ['parenthesised', '(D)', ORGANS, 'D'],
  ['letter and close paren', 'A)', ORGANS, 'A'],
  ['letter dot option', 'B. Liver', ORGANS, 'B'],
  ['lowercase letter dot option', 'b. liver', ORGANS, 'B'],
  ['bold letter', '**C**', ORGANS, 'C'],
  ['letter first line then explanation', 'D\n\nThe kidney shows a large cyst.', ORGANS, 'D'],
  ['explanation then letter last line', 'The cardiac silhouette is enlarged.\n\nC', ORGANS, 'C'],
  ['first and last lines disagree', 'A\n\nHmm, actually the liver.\n\nB', ORGANS, null],
  ['single parenthesised mention', 'The image best fits (E) Medial collateral ligament complex reconstruction given the valgus instability.', MXQ, 'E'],
  ['option analysis, no conclusion (truncated)', 'Let us evaluate each option:\nA. Lung - the lung fields are clear.\nB. Liver - the liver appears', ORGANS, null],
  ['two parenthesised letters', 'Both (A) and (C) are possible.', ORGANS, null],
  ['hepatitis B is not a letter', 'The biopsy shows ground-glass hepatocytes typical of hepatitis B infection. Yes', YES_NO, 'A'],
  ['article A is not a letter', 'A large mass is seen in the liver.', ORGANS, 'B'],
  ['option B mention', 'I think option B fits best.', ORGANS, 'B'],
];

export const TEXT_CASES: Case[] = [
  ['option text exact', 'Liver', ORGANS, 'B'],
  ['option text with punctuation and case', 'the HEART.', ORGANS, 'C'],
  ['option text contained', 'The abnormality is located in the kidney.', ORGANS, 'D'],
  ['two options contained', 'The lung and the heart are both visible.', ORGANS, null],
  ['contained option inside longer option', 'It is in the upper left.', SIDES, 'C'],
  ['shorter option alone', 'On the left.', SIDES, 'A'],
  ['long option text', 'Radial head ORIF', MXQ, 'D'],
  ['yes sentence', 'Yes, there is a pleural effusion.', YES_NO, 'A'],
  ['no sentence', 'No, the study is normal.', YES_NO, 'B'],
  ['unknown is not no', 'The nature of the lesion is unknown, but it is present: yes.', YES_NO, 'A'],
  ['node is not no', 'Yes. An enlarged node is seen.', YES_NO, 'A'],
  ['nobody is not no', 'Nobody could miss it — yes.', YES_NO, 'A'],
  ['not is not no', 'It is not clearly abnormal.', YES_NO, null],
  ['both yes and no', 'Yes and no: there is a lesion but no mass effect.', YES_NO, null],
  ['no as determiner only', 'There is no evidence of fracture.', YES_NO, 'B'],
  ['leading Yes, later determiner no', 'Yes, the liver shows no lesions.', YES_NO, 'A'],
  ['leading Yes. then no evidence', 'Yes. There is no evidence of pneumothorax.', YES_NO, 'A'],
  ['leading No, with a later yes', 'No, although yes-like features appear at first glance.', YES_NO, 'B'],
  ['Chinese yes', '是的，图中包含肝脏。', YES_NO_ZH, 'A'],
  ['Chinese no', '不是，肺部看起来是健康的。', YES_NO_ZH, 'B'],
  ['Chinese no (没有)', '没有。', YES_NO_ZH, 'B'],
  ['Chinese letter', 'B', YES_NO_ZH, 'B'],
  ['Chinese option text', '心脏', { A: '肺', B: '心脏' }, 'B'],
  ['letter with Chinese full stop', 'C。', ORGANS, 'C'],
];

export const REFUSAL_CASES: Case[] = [
  ['refusal', "I'm sorry, but I can't help with interpreting medical images.", ORGANS, null],
  ['cannot determine', 'I cannot determine the answer from this image alone.', YES_NO, null],
  ['as an AI, no (refusal wins)', 'As an AI, I am not able to provide a diagnosis. No definitive answer.', YES_NO, null],
  ['consult a doctor', 'Please consult a doctor for an accurate diagnosis.', ORGANS, null],
  ['Chinese refusal', '抱歉，我无法确定图中的器官。', ORGANS, null],
  ['refusal then explicit answer', 'I cannot be certain, but the answer is B.', ORGANS, 'B'],
  ['empty response', '', ORGANS, null],
];

/**
 * Every misread listed in issue 10, as found with the CLI on real items (SLAKE-zh 12999 / 13000 / 13006, gold
 * 不包含; VQA-RAD 295 "Is the liver normal?", gold yes; VQA-RAD 10 and MedXpertQA MM-0). Each was read wrongly, or
 * left unparsed although a careful reader reads it, by medvlm-chain/2.
 */
const KIDNEY_ZH = '图片中包含肾脏吗?';
const SPLEEN_ZH = '图片中包含脾脏吗?';
const LIVER_ZH = '图片中包含肝脏吗?';
const CHOLE = { A: 'Acute cholecystitis', B: 'Choledocholithiasis', C: 'Pancreatitis', D: 'Hepatitis' };
export const ISSUE_CASES: QuestionCase[] = [
  ['zh: boxed uncertainty is no answer (12999)', '\\boxed{无法确定}', YES_NO_ZH, null, KIDNEY_ZH],
  ['zh: 答案：无法确定 is no answer (13000)', '答案：无法确定', YES_NO_ZH, null, SPLEEN_ZH],
  ['zh: 不清楚 is no answer (13006)', '不清楚', YES_NO_ZH, null, LIVER_ZH],
  ['zh: 不确定 is no answer, not 否', '不确定。', YES_NO_ZH, null, KIDNEY_ZH],
  ['zh: 不知道', '我不知道。', YES_NO_ZH, null, KIDNEY_ZH],
  ['zh: 无法判断', '仅凭这张图像无法判断。', YES_NO_ZH, null, SPLEEN_ZH],
  ['zh: "not visible" starting with 对 is no', '对于这张图像，肾脏是不可见的。', YES_NO_ZH, 'B', KIDNEY_ZH],
  ['zh: "there is no spleen" starting with 可以 is no', '可以看到，图中并没有脾脏。', YES_NO_ZH, 'B', SPLEEN_ZH],
  ['zh: restated question then 不包含', '是否包含肝脏：不包含。', YES_NO_ZH, 'B', LIVER_ZH],
  ['zh: 不包含', '不包含', YES_NO_ZH, 'B', LIVER_ZH],
  ['zh: 没有', '没有，图中只能看到肺和心脏。', YES_NO_ZH, 'B', LIVER_ZH],
  ['en: side finding "No abnormality…" answers "Is the liver normal?" with yes (VQA-RAD 295)',
    'The image is an axial CT scan of the abdomen. The liver shows homogeneous attenuation. No abnormality is seen in the liver.', YES_NO, 'A', 'Is the liver normal?'],
  ['en: negated side finding, asserted nodule', 'There is no mass, but a small nodule is present.', YES_NO, 'A', 'Is there a nodule?'],
  ['en: \\boxed{No idea} is no answer', 'I am not certain about this one. \\boxed{No idea}', YES_NO, null, 'Is there a nodule?'],
  ['en: conclusion "so yes"', 'The cortex is thinned and the collecting system is dilated, so yes.', YES_NO, 'A', 'Is there hydronephrosis?'],
  ['en: conclusion "therefore no" after a side "yes"-like finding', 'Yes-like densities are overlying the hilum, but they are vessels. Therefore, no.', YES_NO, 'B', 'Is there a hilar mass?'],
  ['self-correction outside <think> (MedXpertQA MM-0)', 'Hmm, the answer is B. Wait, actually looking again, it\'s A.', MXQ, 'A', 'Which surgical step…?'],
  ['self-correction on a yes/no item (VQA-RAD 10)', 'Hmm, the answer is B. Wait, actually looking again, it\'s A.', YES_NO, 'A', 'Is there evidence of an aortic aneurysm?'],
  ['negated option: T1, not T2', 'It is T1-weighted, not T2-weighted.', { A: 'T1', B: 'T2' }, 'A', 'Is this a T1 weighted or T2 weighted MRI image?'],
  ['negated option: CT, not MRI', "It's a CT scan, not an MRI.", { A: 'CT', B: 'MRI' }, 'A', 'Is this a CT or an MRI?'],
  ['negated letter then the asserted one', 'The answer is not A, it is C.', ORGANS, 'C', 'Which organ is enlarged?'],
  ["easy: I'd go with D", "I'd go with D.", ORGANS, 'D', 'Which organ?'],
  ['easy: quoted letter', 'The answer is "E".', MXQ, 'E', 'Which step?'],
  ['easy: letter because …', 'A because of the sonographic Murphy sign.', CHOLE, 'A', 'What is the most likely diagnosis?'],
  ['easy: "…, so C."', 'The enzymes point to the pancreas, so C.', CHOLE, 'C', 'What is the most likely diagnosis?'],
  ['easy: "This suggests B."', 'The common bile duct is dilated with an echogenic focus. This suggests B.', CHOLE, 'B', 'What is the most likely diagnosis?'],
  ['easy: Normal. for "Is … normal?"', 'Normal.', YES_NO, 'A', 'Is the liver normal?'],
  ['easy: Abnormal. for "Is … normal?"', 'Abnormal.', YES_NO, 'B', 'Is the chest x-ray normal?'],
  ['easy: absent', 'Absent.', YES_NO, 'B', 'Is there a pneumothorax?'],
  ['easy: present', 'Present.', YES_NO, 'A', 'Is there a pleural effusion?'],
  ['easy: negative for', 'Negative for pneumothorax.', YES_NO, 'B', 'Is there a pneumothorax?'],
];

export const ALL_CASES: Case[] = [
  ...BOXED_CASES, ...THINKING_CASES, ...TRIGGER_CASES, ...BARE_CASES, ...TEXT_CASES, ...REFUSAL_CASES,
];

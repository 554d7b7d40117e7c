/**
 * Labelled reading table, part 2: English and Chinese yes/no items (options A. yes / B. no, A. 是 / B. 否) and
 * two-option closed items (left/right, T1/T2, CT/MRI, 横断面/冠状面). Same rules as part 1: the human reading was
 * written first, null when a careful reader would not record an answer.
 */
import type { ReadingCase } from './reading-cases-mc.js';

const YN = { A: 'yes', B: 'no' };
const YNZ = { A: '是', B: '否' };
const yn = (q: string, r: string, h: 'A' | 'B' | null): ReadingCase => [q, YN, r, h];
const zh = (q: string, r: string, h: 'A' | 'B' | null): ReadingCase => [q, YNZ, r, h];

const LIVER_N = 'Is the liver normal?';
const NODULE = 'Is there a nodule in the right lung?';
const PTX = 'Is there a pneumothorax?';
const FX = 'Is there a fracture?';
const HEART = 'Is the heart enlarged?';
const CT_Q = 'Is this a CT scan?';
const ABN = 'Is there any abnormality in the lungs?';
const EFF = 'Is there a pleural effusion?';
const CONTRAST = 'Was IV contrast used?';
const MIDLINE = 'Is the trachea midline?';
const BRAIN_N = 'Does the brain look normal?';
const FREE_AIR = 'Is there free air under the diaphragm?';

export const YES_NO_CASES: ReadingCase[] = [
  // short verdicts
  yn(PTX, 'Yes', 'A'), yn(PTX, 'No', 'B'), yn(PTX, 'yes.', 'A'), yn(PTX, 'No.', 'B'), yn(PTX, '**Yes**', 'A'), yn(PTX, 'A', 'A'),
  yn(PTX, 'B. no', 'B'), yn(PTX, '\\boxed{Yes}', 'A'), yn(PTX, '\\boxed{\\text{No}}', 'B'), yn(PTX, '\\boxed{B}', 'B'),
  yn(FX, 'Answer: yes', 'A'), yn(FX, 'The answer is no.', 'B'), yn(FX, 'Final answer: No', 'B'), yn(FX, '<answer>yes</answer>', 'A'),
  // leading verdict with explanation
  yn(PTX, 'Yes, there is a large left-sided pneumothorax with mediastinal shift.', 'A'),
  yn(PTX, 'No, the lung markings extend to the chest wall bilaterally.', 'B'),
  yn(FX, 'No. The cortex is intact and no fracture line is seen.', 'B'),
  yn(FX, 'Yes. There is a transverse fracture of the distal radius with no displacement.', 'A'),
  yn(EFF, 'Yes, a small right pleural effusion is present; no pneumothorax.', 'A'),
  yn(NODULE, 'No, there is no nodule; the lungs are clear.', 'B'),
  // statements without yes/no, read against the question
  yn(PTX, 'There is no pneumothorax.', 'B'), yn(PTX, 'No pneumothorax is seen.', 'B'), yn(PTX, 'A right apical pneumothorax is present.', 'A'),
  yn(PTX, 'Negative for pneumothorax.', 'B'), yn(PTX, 'Pneumothorax: absent.', 'B'), yn(PTX, 'Absent', 'B'), yn(PTX, 'Present.', 'A'),
  yn(FX, 'There is a displaced fracture of the femoral neck.', 'A'), yn(FX, 'No acute fracture or dislocation.', 'B'),
  yn(FX, 'The bones are intact without evidence of fracture.', 'B'),
  yn(EFF, 'Blunting of the left costophrenic angle indicates a small pleural effusion.', 'A'),
  yn(EFF, 'The costophrenic angles are sharp. No pleural effusion.', 'B'),
  yn(NODULE, 'There is no mass, but a small nodule is present in the right upper lobe.', 'A'),
  yn(NODULE, 'A 6 mm nodule is seen in the right upper lobe.', 'A'),
  yn(NODULE, 'No nodules are identified in either lung.', 'B'),
  yn(NODULE, 'There is a nodule in the left lung; the right lung is clear.', 'B'),
  yn(FREE_AIR, 'Free air is seen under the right hemidiaphragm, consistent with pneumoperitoneum.', 'A'),
  yn(FREE_AIR, 'There is no free air under the diaphragm.', 'B'),
  // normal / abnormal
  yn(LIVER_N, 'Normal.', 'A'), yn(LIVER_N, 'Abnormal', 'B'), yn(LIVER_N, 'The liver appears normal in size and attenuation.', 'A'),
  yn(LIVER_N, 'The image is an axial CT of the abdomen. The liver shows homogeneous attenuation. No abnormality is seen in the liver.', 'A'),
  yn(LIVER_N, 'No, the liver is enlarged with multiple hypodense lesions.', 'B'),
  yn(LIVER_N, 'There is a large hypodense mass in the right hepatic lobe.', 'B'),
  yn(LIVER_N, 'The liver is abnormal.', 'B'), yn(LIVER_N, 'The liver is not normal; it shows a nodular contour consistent with cirrhosis.', 'B'),
  yn(LIVER_N, 'The spleen is enlarged. The liver is unremarkable.', 'A'),
  yn(BRAIN_N, 'The brain appears normal without any mass, hemorrhage or midline shift.', 'A'),
  yn(BRAIN_N, 'No, there is a ring-enhancing lesion in the right frontal lobe.', 'B'),
  yn(BRAIN_N, 'Unremarkable study.', 'A'),
  yn(ABN, 'Yes, there is a consolidation in the left lower lobe.', 'A'),
  yn(ABN, 'The lungs are clear. No abnormality is seen.', 'B'),
  yn(ABN, 'The lungs appear normal.', 'B'), yn(ABN, 'Abnormal.', 'A'),
  yn('Is the chest x-ray normal?', 'This chest X-ray is normal.', 'A'),
  yn('Is the chest x-ray normal?', 'The heart is enlarged and there are bilateral effusions. Abnormal study.', 'B'),
  // predicates
  yn(HEART, 'The heart is enlarged.', 'A'), yn(HEART, 'The heart is not enlarged.', 'B'), yn(HEART, 'Enlarged.', 'A'),
  yn(HEART, 'The cardiothoracic ratio is about 0.6, indicating cardiomegaly.', 'A'),
  yn(HEART, 'The cardiac silhouette is within normal limits.', 'B'),
  yn(CT_Q, 'This is a CT scan of the abdomen.', 'A'), yn(CT_Q, 'No, this is an MRI.', 'B'), yn(CT_Q, 'This is an MRI image of the brain.', 'B'),
  yn(CONTRAST, 'Yes, the vessels are opacified.', 'A'), yn(CONTRAST, 'No IV contrast was used.', 'B'),
  yn(MIDLINE, 'The trachea is midline.', 'A'), yn(MIDLINE, 'The trachea is deviated to the right.', 'B'),
  // conclusions and long reasoning
  yn(PTX, 'Let me look at the apices. The visceral pleural line is visible on the left with no lung markings beyond it. So yes.', 'A'),
  yn(PTX, 'Analyzing the image: lung markings extend to the periphery on both sides, and no pleural line is visible. Therefore, no.', 'B'),
  yn(FX, 'Step 1: Assess cortical outline — intact.\nStep 2: Look for lucent lines — none.\nConclusion: there is no fracture.', 'B'),
  yn(FX, '<think>\nThe cortex of the distal radius is interrupted dorsally. That is a fracture.\n</think>\n\nYes', 'A'),
  yn(FX, '<think>\nIs there a fracture? I see a lucent line... but it might be a nutrient canal.\n</think>\n\n\\boxed{No}', 'B'),
  yn(NODULE, '**Findings:**\n- Right upper lobe: 8 mm solid nodule\n- Left lung: clear\n\n**Answer:** Yes', 'A'),
  yn(NODULE, 'In the right upper lobe there is a well-circumscribed nodule. Overall, yes.', 'A'),
  yn(EFF, 'There is no pneumothorax. The left costophrenic angle is blunted by fluid. In conclusion, yes, there is a pleural effusion.', 'A'),
  // self-correction
  yn(PTX, 'Yes. Wait, looking again, those are skin folds, not a pleural line. No.', 'B'),
  yn(FX, 'The answer is yes. Actually, on second thought, the line is a growth plate, so no.', 'B'),
  yn('Is there evidence of an aortic aneurysm?', 'Hmm, the answer is B. Wait, actually looking again, it\'s A.', 'A'),
  // uncertainty, refusals, hedges
  yn(PTX, '\\boxed{No idea}', null), yn(PTX, 'I\'m not sure.', null), yn(PTX, 'It is difficult to determine from this image.', null),
  yn(NODULE, 'A nodule may be present, but it could also be a vessel seen end-on.', null),
  yn(NODULE, 'Possibly.', null), yn(NODULE, 'Maybe.', null), yn(FX, 'Yes or no.', null), yn(FX, 'Yes and no.', null),
  yn(FX, 'I cannot determine whether there is a fracture without a lateral view.', null),
  yn(FX, 'I\'m sorry, I can\'t interpret X-rays.', null), yn(EFF, 'Please consult a radiologist.', null),
  yn(EFF, 'The image quality is insufficient to assess the pleural spaces.', null),
  yn(EFF, 'A small effusion cannot be excluded.', null), yn(LIVER_N, 'The liver is partially imaged.', null),
  yn(HEART, 'The heart size is difficult to assess on an AP film.', null),
  yn(CT_Q, 'The image shows the abdomen.', null), yn(MIDLINE, 'The trachea is visible.', null),
  // negations that are not the answer
  yn(PTX, 'Yes, there is no doubt: a large pneumothorax.', 'A'), yn(NODULE, 'No evidence of nodules.', 'B'),
  yn(FX, 'There is a fracture without displacement.', 'A'), yn(EFF, 'Pleural effusion is present without pneumothorax.', 'A'),
  yn(LIVER_N, 'No focal lesion in the liver.', 'A'), yn(ABN, 'No acute cardiopulmonary abnormality.', 'B'),
  yn('Is there a mass in the brain?', 'There is no midline shift, but a large enhancing mass is seen in the left temporal lobe.', 'A'),
  yn('Is there a mass in the brain?', 'No mass. Ventricles are normal.', 'B'),
];

export const ZH_CASES: ReadingCase[] = [
  zh('图片中包含肾脏吗?', '\\boxed{无法确定}', null), zh('图片中包含脾脏吗?', '答案：无法确定', null), zh('图片中包含肝脏吗?', '不清楚', null),
  zh('图片中包含肾脏吗?', '对于这张图像，肾脏是不可见的。', 'B'), zh('图片中包含脾脏吗?', '可以看到，图中并没有脾脏。', 'B'),
  zh('图片中包含肾脏吗?', '不确定。', null), zh('图片中包含肝脏吗?', '是否包含肝脏：不包含。', 'B'),
  zh('图片中包含肝脏吗?', '包含', 'A'), zh('图片中包含肝脏吗?', '不包含', 'B'), zh('图片中包含肝脏吗?', '是的', 'A'), zh('图片中包含肝脏吗?', '否', 'B'),
  zh('图片中包含肝脏吗?', '是', 'A'), zh('图片中包含肝脏吗?', 'A', 'A'), zh('图片中包含肝脏吗?', '答案：是', 'A'), zh('图片中包含肝脏吗?', '答案是：否', 'B'),
  zh('图片中包含肝脏吗?', '是的，图片中包含肝脏。', 'A'), zh('图片中包含肝脏吗?', '图片中包含肝脏。', 'A'),
  zh('图片中包含肝脏吗?', '这张图片中可以看到肝脏。', 'A'), zh('图片中包含肝脏吗?', '图中没有肝脏，只能看到肺部。', 'B'),
  zh('图片中包含肝脏吗?', '在这张图像中，没有看到肝脏。', 'B'), zh('图片中包含肝脏吗?', '未见肝脏。', 'B'),
  zh('图片中包含肝脏吗?', '不，图片中不包含肝脏。', 'B'), zh('图片中包含肝脏吗?', '我不知道。', null), zh('图片中包含肝脏吗?', '无法判断。', null),
  zh('图片中包含肝脏吗?', '可能包含肝脏。', null), zh('图片中包含肝脏吗?', '抱歉，我无法查看图片。', null),
  zh('图片中包含心脏吗?', '图像显示的是腹部，心脏不在图中。', 'B'), zh('图片中包含心脏吗?', '有，心脏位于纵隔中央。', 'A'),
  zh('图片中包含肺吗?', '肺部可见，双肺纹理清晰。', 'A'), zh('图片中包含肺吗?', '\\boxed{是}', 'A'), zh('图片中包含肺吗?', '\\boxed{否}', 'B'),
  zh('这张图像里有肺吗?', '没有', 'B'), zh('这张图像里有肺吗?', '有', 'A'),
  zh('肺是异常的吗?', '是的，右肺有明显的实变。', 'A'), zh('肺是异常的吗?', '不是，肺部看起来是正常的。', 'B'),
  zh('肺是异常的吗?', '肺部未见明显异常。', 'B'), zh('肺是异常的吗?', '左肺可见一个结节，属于异常。', 'A'),
  zh('肝脏是健康的吗?', '肝脏看起来是健康的。', 'A'), zh('肝脏是健康的吗?', '不是，肝脏内有多发低密度灶。', 'B'),
  zh('肝脏是健康的吗?', '不健康。', 'B'), zh('这张图片看起来正常吗?', '正常。', 'A'), zh('这张图片看起来正常吗?', '不正常。', 'B'),
  zh('这张图片看起来正常吗?', '这张图片看起来不正常，右肺有阴影。', 'B'), zh('这张图片看起来正常吗?', '看起来是正常的。', 'A'),
  zh('这张图像是关于头部吗?', '不是，这是胸部的图像。', 'B'), zh('这张图像是关于头部吗?', '是的，这是头部的核磁共振图像。', 'A'),
  zh('这是冠状面吗?', '这是横断面，不是冠状面。', 'B'), zh('这是冠状面吗?', '是的，这是冠状面图像。', 'A'),
  zh('这是CT图像吗?', '这不是CT图像，而是核磁共振图像。', 'B'), zh('这是CT图像吗?', '这是一张CT图像。', 'A'),
  zh('病人的左肺有异常吗?', '有，左肺下叶可见实变。', 'A'), zh('病人的左肺有异常吗?', '左肺没有异常。', 'B'),
  zh('图片中包含肝脏吗?', '<think>图中是胸部，看不到肝脏。</think>\n不包含', 'B'),
  zh('图片中包含肝脏吗?', '从图像来看，肝脏位于右上腹，清晰可见。答案：是', 'A'),
  zh('图片中包含肝脏吗?', '是或否都有可能。', null),
];

const LR = { A: 'left', B: 'right' };
const T12 = { A: 'T1', B: 'T2' };
const CTMR = { A: 'CT', B: 'MRI' };
const LR_Q = 'Is the lesion on the left or right side of the brain?';
const T_Q = 'Is this a T1 weighted or T2 weighted MRI image?';
const CM_Q = 'Is this a CT or an MRI?';
const PLANE_ZH = { A: '横断面', B: '冠状面' };
const SIDE_ZH = { A: '左侧', B: '右侧' };

export const BINARY_CASES: ReadingCase[] = [
  [LR_Q, LR, 'Left', 'A'], [LR_Q, LR, 'right', 'B'], [LR_Q, LR, 'The lesion is on the left side.', 'A'],
  [LR_Q, LR, 'It is located in the right frontal lobe.', 'B'], [LR_Q, LR, '\\boxed{right}', 'B'],
  [LR_Q, LR, 'The lesion is in the left hemisphere, not the right.', 'A'], [LR_Q, LR, 'Right side (patient\'s right, which appears on the image left).', 'B'],
  [LR_Q, LR, 'Both hemispheres are involved.', null], [LR_Q, LR, 'The lesion is midline.', null],
  [LR_Q, LR, 'On the image it appears on the left, but by radiological convention that is the patient\'s right.', 'B'],
  [LR_Q, LR, 'Answer: B', 'B'], [LR_Q, LR, 'The answer is A. Left.', 'A'],
  [LR_Q, LR, 'The right hemisphere is normal; the lesion is in the left.', 'A'],
  [T_Q, T12, 'T2', 'B'], [T_Q, T12, 'It is T1-weighted, not T2-weighted.', 'A'], [T_Q, T12, 'This is a T2-weighted image because CSF is bright.', 'B'],
  [T_Q, T12, 'CSF appears dark and fat is bright, so this is T1.', 'A'], [T_Q, T12, 'T2 weighted', 'B'], [T_Q, T12, '\\boxed{T1}', 'A'],
  [T_Q, T12, 'It could be T1 or T2; the contrast is ambiguous.', null], [T_Q, T12, 'FLAIR.', null],
  [T_Q, T12, 'The fluid is hyperintense, consistent with T2 weighting rather than T1.', 'B'],
  [CM_Q, CTMR, "It's a CT scan, not an MRI.", 'A'], [CM_Q, CTMR, 'MRI', 'B'], [CM_Q, CTMR, 'This is a CT image.', 'A'],
  [CM_Q, CTMR, 'This is an MRI, as shown by the soft tissue contrast.', 'B'], [CM_Q, CTMR, 'Neither; this is an ultrasound.', null],
  [CM_Q, CTMR, 'Computed tomography.', 'A'], [CM_Q, CTMR, 'Magnetic resonance imaging (MRI).', 'B'],
  [CM_Q, CTMR, 'I cannot tell whether it is a CT or an MRI.', null],
  ['扫描的是图像的哪个平面,横断面还是冠状面?', PLANE_ZH, '冠状面', 'B'],
  ['扫描的是图像的哪个平面,横断面还是冠状面?', PLANE_ZH, '这是横断面图像。', 'A'],
  ['扫描的是图像的哪个平面,横断面还是冠状面?', PLANE_ZH, '这是冠状面，不是横断面。', 'B'],
  ['扫描的是图像的哪个平面,横断面还是冠状面?', PLANE_ZH, '无法确定。', null],
  ['图中肺哪一侧是异常的,左侧还是右侧?', SIDE_ZH, '右侧', 'B'], ['图中肺哪一侧是异常的,左侧还是右侧?', SIDE_ZH, '左侧肺部有异常。', 'A'],
  ['图中肺哪一侧是异常的,左侧还是右侧?', SIDE_ZH, '两侧都有异常。', null],
  ['这个图像是用什么样的权重生成的,t1还是t2?', T12, 'T2加权', 'B'], ['这个图像是用什么样的权重生成的,t1还是t2?', T12, '这是T1加权像。', 'A'],
];

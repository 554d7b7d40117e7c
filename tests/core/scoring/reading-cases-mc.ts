/**
 * Labelled reading table, part 1: multiple choice (4 and 5 options). Responses are written in the styles of real
 * model outputs (Qwen-VL, LLaVA-Med, HuatuoGPT-Vision, MedGemma, InternVL, reasoning models with <think>, long
 * chain of thought, markdown, boxes) and each carries what a careful human reader records: the option letter the
 * response commits to, or null when a human would not read an answer (refusal, hedge between options, truncated
 * before answering, none of the options). The labels were written before running the extractor and were not
 * changed to fit it; see reading.test.ts for what is asserted.
 */
export type ReadingCase = [question: string, options: Record<string, string>, response: string, human: string | null];

export const CXR = { A: 'Pneumothorax', B: 'Pleural effusion', C: 'Pneumonia', D: 'Atelectasis' };
const CXR_Q = 'What is the most likely finding on this chest radiograph?';
export const BRAIN = { A: 'Glioblastoma', B: 'Meningioma', C: 'Metastasis', D: 'Abscess' };
const BRAIN_Q = 'What is the most likely diagnosis of the lesion shown?';
export const LUNG_PATH = { A: 'Squamous cell carcinoma', B: 'Adenocarcinoma', C: 'Small cell carcinoma', D: 'Large cell carcinoma', E: 'Carcinoid tumor' };
const PATH_Q = 'A 64-year-old smoker presents with a central lung mass. Based on the histology image, what is the most likely diagnosis?';
export const PLANE = { A: 'Axial', B: 'Coronal', C: 'Sagittal', D: 'Oblique' };
const PLANE_Q = 'In which plane is this image acquired?';
export const MODALITY = { A: 'CT', B: 'MRI', C: 'X-ray', D: 'Ultrasound' };
const MOD_Q = 'What imaging modality was used?';
export const ORGAN = { A: 'Liver', B: 'Spleen', C: 'Kidney', D: 'Pancreas' };
const ORGAN_Q = 'Which organ shows the abnormality?';
export const MGMT = { A: 'Observation', B: 'Antibiotics', C: 'Chest tube placement', D: 'Thoracotomy', E: 'Bronchoscopy' };
const MGMT_Q = 'What is the most appropriate next step in management?';

const cxr = (r: string, h: string | null): ReadingCase => [CXR_Q, CXR, r, h];
const brain = (r: string, h: string | null): ReadingCase => [BRAIN_Q, BRAIN, r, h];
const path = (r: string, h: string | null): ReadingCase => [PATH_Q, LUNG_PATH, r, h];
const plane = (r: string, h: string | null): ReadingCase => [PLANE_Q, PLANE, r, h];
const mod = (r: string, h: string | null): ReadingCase => [MOD_Q, MODALITY, r, h];
const organ = (r: string, h: string | null): ReadingCase => [ORGAN_Q, ORGAN, r, h];
const mgmt = (r: string, h: string | null): ReadingCase => [MGMT_Q, MGMT, r, h];

export const MC_CASES: ReadingCase[] = [
  // short answers (Qwen-VL, InternVL, Lingshu)
  cxr('B', 'B'), cxr('B.', 'B'), cxr('(B)', 'B'), cxr('B. Pleural effusion', 'B'), cxr('b', 'B'), cxr('Pleural effusion', 'B'),
  cxr('Pleural effusion.', 'B'), cxr('The answer is B.', 'B'), cxr('Answer: A', 'A'), cxr('A: Pneumothorax', 'A'),
  brain('C', 'C'), brain('Meningioma', 'B'), brain('Option D', 'D'), brain('D) Abscess', 'D'), brain('(A) Glioblastoma', 'A'),
  path('E', 'E'), path('Carcinoid tumor', 'E'), path('The answer is (C) Small cell carcinoma.', 'C'), path('b. adenocarcinoma', 'B'),
  plane('Sagittal', 'C'), plane('Coronal plane.', 'B'), plane('A', 'A'), mod('CT', 'A'), mod('MRI', 'B'), mod('This is an ultrasound image.', 'D'),
  organ('Spleen', 'B'), organ('The kidney.', 'C'), mgmt('Chest tube placement', 'C'), mgmt('C. Chest tube placement', 'C'),
  // verbose single-option answers (LLaVA-Med, HuatuoGPT-Vision)
  cxr('The chest X-ray shows blunting of the right costophrenic angle with a meniscus sign, which is consistent with a pleural effusion.', 'B'),
  cxr('The image shows a visible visceral pleural line with absent lung markings peripheral to it. This finding is most consistent with pneumothorax.', 'A'),
  brain('The image shows an extra-axial, dural-based mass with a dural tail sign, which is characteristic of a meningioma.', 'B'),
  organ('There is a hypodense lesion within the liver parenchyma.', 'A'),
  mod('The image appears to be a computed tomography (CT) scan of the abdomen.', 'A'),
  plane('This is a sagittal T2-weighted image of the lumbar spine.', 'C'),
  mgmt('Given the large effusion with respiratory compromise, the patient needs chest tube placement for drainage.', 'C'),
  path('The histology shows small round blue cells with scant cytoplasm, nuclear molding and crush artifact, typical of small cell carcinoma.', 'C'),
  // triggers and markdown (MedGemma, HuatuoGPT)
  cxr('**Answer: B. Pleural effusion**\n\n**Explanation:** There is homogeneous opacification of the lower hemithorax with a meniscus.', 'B'),
  cxr('**Final answer:** C', 'C'), cxr('### Answer\nD. Atelectasis', 'D'), cxr('**Correct option: (A)**', 'A'),
  brain('## Analysis\n- Ring enhancement\n- Restricted diffusion centrally\n\n## Answer\n**D. Abscess**', 'D'),
  path('**Step 1:** Identify the architecture: keratin pearls and intercellular bridges.\n**Step 2:** Correlate with central location.\n\n**Answer:** A. Squamous cell carcinoma', 'A'),
  mgmt('The correct answer is **C. Chest tube placement**.', 'C'), mgmt('Answer: **E**', 'E'),
  organ('The answer is: **Kidney**', 'C'), plane('The correct option is B (Coronal).', 'B'), mod('Final Answer: The final answer is $\\boxed{B}$', 'B'),
  // boxed and reasoning models
  cxr('<think>\nThe right hemithorax is lucent with no lung markings. The mediastinum shifts left. Tension pneumothorax.\n</think>\n\n\\boxed{A}', 'A'),
  cxr('<think>Options: A pneumothorax? no pleural line. B effusion? meniscus yes.</think>The answer is \\boxed{B}.', 'B'),
  brain('<think>\nRing enhancing lesion with restricted diffusion... abscess vs GBM. DWI bright centrally favors abscess.\n</think>\nFinal answer: \\boxed{\\text{D}}', 'D'),
  path('Let me analyze the image step by step.\n\n1. Glandular structures with mucin.\n2. Peripheral location would be typical but this is central.\n\nTherefore, the final answer is \\boxed{B}.', 'B'),
  path('\\boxed{\\text{B. Adenocarcinoma}}', 'B'), path('\\boxed{Adenocarcinoma}', 'B'), path('$\\boxed{\\textbf{E}}$', 'E'),
  mgmt('The patient is stable with a small effusion.\n\n\\[\n\\boxed{A}\n\\]', 'A'), mgmt('\\boxed{A, C}', null), mgmt('\\boxed{C or D}', null),
  organ('<think>\nThe lesion is in the left upper quadrant, posterior to the stomach. Spleen.\n</think>\n\nB', 'B'),
  organ('<think>Liver? The lesion seems hepatic. Actually it is renal — it arises from the kidney cortex.</think>\n\n**C. Kidney**', 'C'),
  plane('<think>\nWe see both kidneys and the spine in cross-section, so axial.\n</think>', null),
  plane('<think>\nThe image shows the brain from the side, midline structures visible: corpus callosum, brainstem. That would be sagittal. Let me double check the options: A. Axial B. Coronal C. Sagittal', null),
  mod('Thinking: bone is bright, soft tissue grey, has Hounsfield-like windowing...\n</think>\nA', 'A'),
  brain('<think>GBM is typical with necrosis.</think>\n<answer>A</answer>', 'A'), brain('<answer>Meningioma</answer>', 'B'),
  // long chain of thought with conclusion phrasings
  cxr('Let\'s evaluate each option:\nA. Pneumothorax - no pleural line is seen.\nB. Pleural effusion - there is a meniscus at the right base.\nC. Pneumonia - no air bronchograms.\nD. Atelectasis - no volume loss.\n\nTherefore, the correct answer is B.', 'B'),
  cxr('Let\'s evaluate each option:\nA. Pneumothorax - no pleural line is seen.\nB. Pleural effusion - there is a meniscus at the right base.\nC. Pneumonia - no air bronchograms.\nD. Atelectasis', null),
  brain('Considering the dural tail and homogeneous enhancement, B is the correct answer.', 'B'),
  brain('Multiple lesions at the grey-white junction in a patient with known lung cancer point to metastatic disease, so C.', 'C'),
  brain('The central restricted diffusion and smooth rim suggest D.', 'D'),
  path('Keratinization is present. This suggests A.', 'A'), path('I\'d go with A.', 'A'), path('I would choose option B.', 'B'),
  path('Based on neuroendocrine morphology with organoid nests and low mitotic rate, E is the most likely answer.', 'E'),
  mgmt('The effusion is large and the patient is dyspneic. Hence, the most appropriate next step is chest tube placement (C).', 'C'),
  mgmt('Thus option C, chest tube placement, is indicated.', 'C'), mgmt('My answer: C', 'C'),
  organ('Step 1: The organ is in the right upper quadrant.\nStep 2: It is the largest solid organ.\nConclusion: Liver.', 'A'),
  plane('The image displays the left and right hemispheres symmetrically with the lateral ventricles seen from above; therefore this is an axial slice.', 'A'),
  // self-corrections outside <think>
  cxr('The answer is C. Wait, the opacity has a meniscus and no air bronchograms, so it is B.', 'B'),
  cxr('Answer: D\n\nActually, on second thought, the mediastinum shifts away from the opacity, which argues against atelectasis. The answer is B.', 'B'),
  brain('I think it is A. Hmm, actually looking again, the lesion is extra-axial with a dural tail, so it\'s B.', 'B'),
  path('The answer is B. Wait, let me reconsider the central location and the keratin pearls...', null),
  mgmt('Answer: B. Actually, antibiotics are indicated as well, because the fluid is infected.', 'B'),
  organ('C. Wait, no — the lesion is in the spleen. B.', 'B'),
  // negated options and eliminations
  cxr('It is not a pneumothorax; the opacity is a pleural effusion.', 'B'),
  cxr('This is pleural effusion rather than atelectasis.', 'B'),
  cxr('The answer is not C, it is B.', 'B'), cxr('Not A, but D.', 'D'),
  brain('Option A is incorrect. Option C is incorrect. Option D is incorrect. So the answer is B.', 'B'),
  brain('A is unlikely, C is unlikely, D is unlikely.', null),
  mod('This is not an MRI; it is a CT.', 'A'), mod('It is an MRI, not a CT.', 'B'),
  plane('This is a coronal image, not sagittal.', 'B'),
  organ('The lesion does not involve the liver or the spleen; it is in the pancreas.', 'D'),
  // hedges, several answers, none
  cxr('It could be either pneumonia or atelectasis.', null), cxr('B or C', null), cxr('Both B and C are possible.', null),
  cxr('The findings are nonspecific; pneumonia and atelectasis can look identical on a single view.', null),
  brain('Likely A, but B is also possible.', 'A'), brain('Either metastasis or abscess; further imaging is needed.', null),
  path('None of the above.', null), path('None of the options fits the histology.', null),
  mgmt('A and B', null), mgmt('Observation or antibiotics, depending on clinical status.', null),
  organ('Liver and spleen are both enlarged.', null), plane('It is difficult to determine the plane from this image.', null),
  // refusals and non-answers
  cxr('I\'m sorry, but I cannot provide a diagnosis from medical images.', null),
  cxr('I cannot view images. Please describe the findings.', null),
  brain('As an AI language model, I am not able to interpret MRI scans. Please consult a radiologist.', null),
  path('Please consult a pathologist for an accurate diagnosis.', null), path('', null), path('   ', null),
  mgmt('What additional clinical information is available?', null),
  organ('The image shows an abdominal CT scan.', null), mod('This image shows the chest.', null),
  plane('The image shows the brain.', null), brain('Answer:', null), cxr('\\boxed{}', null),
  // letter-like words that are not answers
  organ('A large hypodense lesion is seen.', null), path('Vitamin D deficiency is not relevant here.', null),
  path('Hepatitis B serology was negative; the lesion is an adenocarcinoma.', 'B'),
  cxr('A pleural effusion is seen at the right base.', 'B'),
  // Chinese multiple choice (HuatuoGPT-Vision, Qwen in Chinese)
  [CXR_Q, CXR, '答案：B', 'B'], [CXR_Q, CXR, '根据影像表现，右侧肋膈角变钝，答案是B。', 'B'],
  [BRAIN_Q, BRAIN, '正确答案为C。', 'C'], [BRAIN_Q, BRAIN, '故选D。', 'D'], [BRAIN_Q, BRAIN, '抱歉，我无法对医学影像进行诊断。', null],
  [PATH_Q, LUNG_PATH, '综合分析，选A。', 'A'], [PATH_Q, LUNG_PATH, '我认为是B或C。', null],
  [MOD_Q, MODALITY, '这是一张CT图像。', 'A'], [MOD_Q, MODALITY, '\\boxed{B}', 'B'],
  // more realistic long outputs
  cxr('The image is a frontal chest radiograph. Findings:\n- Homogeneous opacity in the right lower zone\n- Concave upper border (meniscus sign)\n- No air bronchograms\n\nImpression: Right pleural effusion.\n\nAnswer: B', 'B'),
  cxr('Based on the radiograph, I would say pneumonia is the most likely, option C.', 'C'),
  cxr('Looking at the image, there is a right-sided pneumothorax.', 'A'),
  cxr('Right lower lobe consolidation with air bronchograms is noted, consistent with pneumonia. No pneumothorax or pleural effusion.', 'C'),
  brain('The lesion is enhancing.', null), brain('Meningioma (B) is the most likely diagnosis given the dural tail.', 'B'),
  brain('The most likely diagnosis is glioblastoma multiforme.', 'A'), brain('The answer is metastasis.', 'C'),
  path('Among A through E, the answer is B.', 'B'), path('Answer: (E) Carcinoid tumor', 'E'),
  path('The most likely diagnosis is small cell lung cancer.', 'C'),
  mgmt('E. Bronchoscopy would be performed if an obstructing lesion were suspected, but here the best step is C.', 'C'),
  mgmt('Next step: thoracotomy.', 'D'), mgmt('The patient should be observed.', 'A'),
  organ('It arises from the tail of the pancreas.', 'D'), organ('Splenic laceration.', 'B'),
  plane('This is a transverse (axial) section.', 'A'), plane('Axial view', 'A'),
  mod('The image is a plain radiograph (X-ray) of the hand.', 'C'), mod('Sonographic image of the gallbladder.', 'D'),
  mod('MRI T2-weighted image', 'B'), mod('This is a T1-weighted MR image of the brain.', 'B'),
];

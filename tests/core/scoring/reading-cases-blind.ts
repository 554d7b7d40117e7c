/**
 * Labelled reading table, part 3: a batch written after parts 1–2 had been made to pass, and run once before any
 * change to the extractor, as a held-out check on parts 1–2's figure (its first-run agreement is recorded in
 * docs/scoring.md). Labels follow the same rules: what a careful human records, null when no answer is readable.
 */
import { BRAIN, CXR, LUNG_PATH, MGMT, MODALITY, ORGAN, PLANE, type ReadingCase } from './reading-cases-mc.js';

const YN = { A: 'yes', B: 'no' };
const YNZ = { A: '是', B: '否' };
const CXR_Q = 'What is the most likely finding on this chest radiograph?';
const Q = 'Choose the best answer.';

export const BLIND_CASES: ReadingCase[] = [
  [CXR_Q, CXR, 'Based on my analysis of the image, the most likely finding is **pleural effusion** (option B).', 'B'],
  [CXR_Q, CXR, 'The radiograph demonstrates a deep sulcus sign on the left. Answer: (A)', 'A'],
  [CXR_Q, CXR, 'Options B and D can be excluded because there is no fluid or volume loss. Between A and C, the lucency without markings favors A.', 'A'],
  [CXR_Q, CXR, 'Final Answer: The final answer is C. I hope it is correct.', 'C'],
  [CXR_Q, CXR, 'Answer: C\nConfidence: 60%', 'C'],
  [CXR_Q, CXR, 'D. Atelectasis\n\nThe right upper lobe has collapsed with elevation of the minor fissure.', 'D'],
  [CXR_Q, CXR, '1. Pneumothorax\n2. Pleural effusion\n3. Pneumonia\n4. Atelectasis', null],
  [CXR_Q, CXR, 'I think the answer might be B, but I am not confident.', 'B'],
  [CXR_Q, CXR, 'The image does not show a chest radiograph; it appears to be an abdominal film.', null],
  [Q, BRAIN, '**Diagnosis:** Meningioma\n\n**Rationale:** extra-axial, broad dural base, CSF cleft.', 'B'],
  [Q, BRAIN, 'Answer: A. Glioblastoma. Wait, the lesion is extra-axial. The correct answer is B. Meningioma.', 'B'],
  [Q, BRAIN, '<think>\nmultiple lesions, known primary → metastasis\n</think>\nThe lesions are multiple and at the grey-white junction.\n\n**Answer: C**', 'C'],
  [Q, BRAIN, 'The lesion is most consistent with an abscess (D), although necrotic glioblastoma (A) is in the differential.', null],
  [Q, BRAIN, 'The answer is A, B, or C.', null],
  [Q, BRAIN, 'This is not a meningioma.', null],
  [Q, LUNG_PATH, 'ANSWER: D', 'D'], [Q, LUNG_PATH, 'answer: e', 'E'],
  [Q, LUNG_PATH, 'The tumor cells form glands and produce mucin, confirming adenocarcinoma rather than squamous cell carcinoma.', 'B'],
  [Q, LUNG_PATH, 'The correct answer is (B).\n\nExplanation: Option A (squamous) would show keratin; option C (small cell) shows molding.', 'B'],
  [Q, LUNG_PATH, 'Small cell carcinoma vs carcinoid tumor — I cannot distinguish them without Ki-67.', null],
  [Q, MGMT, 'Given hemodynamic instability, immediate thoracotomy is warranted. \\boxed{D}', 'D'],
  [Q, MGMT, 'The most appropriate next step is observation with repeat imaging.', 'A'],
  [Q, MGMT, 'Answer: Chest tube placement.', 'C'],
  [Q, MGMT, 'Step-by-step:\n1) Stable patient\n2) Small pneumothorax\n3) No symptoms\nTherefore: A', 'A'],
  [Q, PLANE, 'The slice is coronal.', 'B'], [Q, PLANE, 'It is an axial image, not a coronal one.', 'A'],
  [Q, PLANE, 'The plane is sagittal or possibly oblique.', null],
  [Q, MODALITY, 'This appears to be an X-ray.', 'C'], [Q, MODALITY, 'Ultrasound (US).', 'D'],
  [Q, MODALITY, 'Modality: MRI (T2-weighted, axial).', 'B'],
  [Q, ORGAN, 'The abnormality is in the left kidney (option C).', 'C'],
  [Q, ORGAN, 'It is C. Actually, I mean D — the mass arises from the pancreatic head.', 'D'],
  [Q, ORGAN, 'The liver is normal. The spleen is enlarged with a focal lesion.', null],
  ['Is there a pneumothorax?', YN, 'There appears to be a small left apical pneumothorax.', null],
  ['Is there a pneumothorax?', YN, 'No pneumothorax is identified. Answer: no', 'B'],
  ['Is there a pneumothorax?', YN, 'I do not see a pneumothorax.', 'B'],
  ['Is there a pneumothorax?', YN, 'A pneumothorax is visible on the right side.', 'A'],
  ['Is the heart enlarged?', YN, 'The heart size is normal.', 'B'],
  ['Is the heart enlarged?', YN, 'Yes — cardiomegaly.', 'A'],
  ['Is the kidney normal?', YN, 'The kidney appears normal in size with no hydronephrosis.', 'A'],
  ['Is the kidney normal?', YN, 'There is moderate hydronephrosis of the kidney.', null],
  ['Are the lungs clear?', YN, 'The lungs are clear.', 'A'],
  ['Are the lungs clear?', YN, 'No, there are bilateral patchy opacities.', 'B'],
  ['Is there a fracture of the left femur?', YN, 'There is a fracture of the right femur. The left femur is intact.', 'B'],
  ['Is there a fracture of the left femur?', YN, 'A fracture of the left femoral shaft is present.', 'A'],
  ['Is this an MRI?', YN, 'Yes, this is a T2-weighted MRI.', 'A'],
  ['Is this an MRI?', YN, 'This is not an MRI.', 'B'],
  ['Is there evidence of a brain tumor?', YN, '\\boxed{\\text{Yes}}', 'A'],
  ['Is there evidence of a brain tumor?', YN, 'The answer is: No evidence of a tumor.', 'B'],
  ['Is there evidence of a brain tumor?', YN, 'Cannot be determined from a single slice.', null],
  ['Is there evidence of a brain tumor?', YN, 'Yes? The enhancing area might be a tumor or a vascular malformation.', null],
  ['图片中包含脾脏吗?', YNZ, '图中可见脾脏，位于左上腹。', 'A'],
  ['图片中包含脾脏吗?', YNZ, '这张图片中没有脾脏。', 'B'],
  ['图片中包含脾脏吗?', YNZ, '脾脏？我看不清楚。', null],
  ['图片中包含脾脏吗?', YNZ, '答案：不包含。该图像为头部MRI。', 'B'],
  ['肺是健康的吗?', YNZ, '肺部健康，未见异常。', 'A'],
  ['肺是健康的吗?', YNZ, '肺部可见大片实变，不健康。', 'B'],
  ['这是横断面吗?', YNZ, '不是，这是矢状面。', 'B'],
  ['这是横断面吗?', YNZ, '是横断面。', 'A'],
  ['这张图片的拍摄是通过X光吗?', YNZ, '是的，这是一张X光片。', 'A'],
  ['这张图片的拍摄是通过X光吗?', YNZ, '这是CT，不是X光。', 'B'],
];

import type { CardInput } from "#store"

/**
 * What the math dataset's card says beyond the store's generic sections and the run's figures: license,
 * language and task categories for the Hub header, the one answer format, limitations, how to load it into
 * TRL, and the methods it implements.
 */

/** The config `load_dataset(dir)` loads with no config name: SFT is where a trainer starts. */
export const DEFAULT_CONFIG = "sft"

const LICENSE = {
  id: "cc-by-4.0",
  text:
    "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). The seed problems (`data/seeds/math.jsonl`) were " +
    "written for this project, not copied or paraphrased from GSM8K or any other dataset, and every row here is made " +
    "from them by code (symbolic variation, programmatic error injection); both are released under this license. " +
    "GSM8K is cited for the solution format only: no GSM8K item is included."
}

const FORMAT = `
- **One answer format.** Every solution, in every config, ends with GSM8K's final-answer line \`#### N\`
  (\`N\` a plain number, no units or thousands separators), on its own line; a reward function or evaluator can read
  it with \`#### (-?[0-9.,]+)\`. \`autodidact verify\` reads the same line (and also \`The answer is: N\` and \`\\boxed{N}\`).
- **No calculator annotations in training text.** GSM8K marks each step's arithmetic with \`<<expr=result>>\`; a model
  trained on it learns to write the markup. \`messages\`, \`prompt\`, \`chosen\`, \`rejected\`, \`initial_reason_steps\`,
  \`chosen_step\` and \`rejected_step\` are plain ("42 + 35 = 77 cups"); the annotated text each row was made from is in
  \`annotated_solution\` (sft, correction) or \`annotated_chosen\` / \`annotated_rejected\` (preference, step_preference),
  which \`autodidact verify\` re-checks.
- **TRL's conversational forms** (https://huggingface.co/docs/trl/dataset_formats): \`sft\` and \`correction\` are
  conversational language modeling (\`messages\`); \`preference\` and \`step_preference\` are conversational preference
  (\`prompt\` a user turn, \`chosen\` / \`rejected\` one assistant turn each), so DPOTrainer applies the same chat template
  SFT used; \`rl\` is conversational prompt-only (\`prompt\`, with \`answer\` for the reward function). In
  \`step_preference\` the shared correct prefix is inside \`chosen\` and \`rejected\` (TRL's DPOTrainer ignores other
  columns; the prefix's log-probabilities cancel in DPO's margin), and Step-DPO trainers read \`initial_reason_steps\`,
  \`chosen_step\` and \`rejected_step\`.
`

const LIMITATIONS = `
- **Made offline from a few hundred seeds at most.** Every task is a seed problem or a variant of one: the variants
  redraw numbers (and, where the seed allows, names and objects) in the seed's own template, so the wording, the
  reasoning and the number of steps of a family repeat. Rows per family are in the Groups table; count families, not
  rows, when judging how much the data covers.
- **Errors are programmatic.** RISE and LEMMA errors are edits made by code to a verified solution (a changed value,
  operator, substitution, deleted term, swapped terms, a misread number), not errors a model made; their distribution
  is not a model's. A classifier may still find surface tells (see the fidelity figures).
- **Grade-school arithmetic only**: whole numbers, decimals, fractions and percentages in short word problems, English
  only. No algebra, geometry, proofs, competition mathematics, tables or multi-turn dialogue.
- **Verified arithmetic, not verified sense.** Every solution's arithmetic and final answer are checked with exact
  rationals; whether a redrawn story is plausible is checked by rules (rejects by reason are in the fidelity figures),
  not by a person.
- **A small test split.** It is drawn by seed family, so it holds unseen templates, but with few families it is an
  estimate with a wide error; it is not a benchmark.
`

const LOADING = `
\`\`\`python
from datasets import load_dataset
sft = load_dataset("path/to/math/vNNNN")                          # the default config, sft: DatasetDict(train, test)
pref = load_dataset("path/to/math/vNNNN", "preference", split="train")
steps = load_dataset("path/to/math/vNNNN", "step_preference", split="train")
fix = load_dataset("path/to/math/vNNNN", "correction", split="train")
rl = load_dataset("path/to/math/vNNNN", "rl", split="train")

from trl import SFTTrainer, DPOTrainer, GRPOTrainer
SFTTrainer(model=model, train_dataset=sft["train"])               # messages: chat template applied
DPOTrainer(model=model, train_dataset=pref)                      # conversational prompt / chosen / rejected
GRPOTrainer(model=model, train_dataset=rl, reward_funcs=[reward]) # reward(completions, answer, **kw): compare #### N
\`\`\`

Streaming on data-parallel ranks: \`split_dataset_by_node(load_dataset(..., streaming=True), rank, world_size)\`
gives each rank whole shards when the shard count divides by the world size; the shard counts here are multiples
of 8 for a split of 8,000 rows or more and of 4 below that.
`

const CITATIONS: CardInput["citations"] = [
  {
    text: "GSM8K solution format: Cobbe et al. 2021, *Training Verifiers to Solve Math Word Problems*, arXiv:2110.14168 (openai/grade-school-math).",
    bibtex: "@article{cobbe2021gsm8k,\n  title={Training Verifiers to Solve Math Word Problems},\n  author={Cobbe, Karl and Kosaraju, Vineet and Bavarian, Mohammad and others},\n  journal={arXiv preprint arXiv:2110.14168},\n  year={2021}\n}"
  },
  {
    text: "Symbolic variation: Mirzadeh et al. 2024, *GSM-Symbolic: Understanding the Limitations of Mathematical Reasoning in Large Language Models*, arXiv:2410.05229.",
    bibtex: "@article{mirzadeh2024gsmsymbolic,\n  title={GSM-Symbolic: Understanding the Limitations of Mathematical Reasoning in Large Language Models},\n  author={Mirzadeh, Iman and Alizadeh, Keivan and Shahrokhi, Hooman and Tuzel, Oncel and Bengio, Samy and Farajtabar, Mehrdad},\n  journal={arXiv preprint arXiv:2410.05229},\n  year={2024}\n}"
  },
  {
    text: "Preference pairs with injected subtle errors: Xu et al. 2024, *Subtle Errors Matter: Preference Learning via Error-injected Self-editing* (RISE), arXiv:2410.06638 (kaishxu/RISE).",
    bibtex: "@article{xu2024rise,\n  title={Subtle Errors Matter: Preference Learning via Error-injected Self-editing},\n  author={Xu, Kaishuai and Yu, Tiezheng and Hou, Wenjun and Cheng, Yi and Leong, Chak Tou and Li, Liangyou and Jiang, Xin and Shang, Lifeng and Liu, Qun and Li, Wenjie},\n  journal={arXiv preprint arXiv:2410.06638},\n  year={2024}\n}"
  },
  {
    text: "Step pairs: Lai et al. 2024, *Step-DPO: Step-wise Preference Optimization for Long-chain Reasoning of LLMs*, arXiv:2406.18629.",
    bibtex: "@article{lai2024stepdpo,\n  title={Step-DPO: Step-wise Preference Optimization for Long-chain Reasoning of LLMs},\n  author={Lai, Xin and Tian, Zhuotao and Chen, Yukang and Yang, Senqiao and Peng, Xiangru and Jia, Jiaya},\n  journal={arXiv preprint arXiv:2406.18629},\n  year={2024}\n}"
  },
  {
    text: "Correction traces: Pan et al. 2025, *LEMMA: Learning from Errors for MatheMatical Advancement in LLMs*, Findings of ACL 2025, arXiv:2503.17439 (pzs19/LEMMA).",
    bibtex: "@inproceedings{pan2025lemma,\n  title={{LEMMA}: Learning from Errors for {M}athe{M}atical Advancement in {LLM}s},\n  author={Pan, Zhuoshi and Li, Yu and Lin, Honglin and Pei, Qizhi and Tang, Zinan and Wu, Wei and Ming, Chenlin and Zhao, H. Vicky and He, Conghui and Wu, Lijun},\n  booktitle={Findings of the Association for Computational Linguistics: ACL 2025},\n  year={2025}\n}"
  }
]

/** The math-specific parts of the card. */
export const MATH_CARD = {
  defaultConfig: DEFAULT_CONFIG,
  license: LICENSE,
  language: ["en"],
  taskCategories: ["text-generation", "question-answering"],
  format: FORMAT,
  limitations: LIMITATIONS,
  loading: LOADING,
  citations: CITATIONS
} satisfies Partial<CardInput>

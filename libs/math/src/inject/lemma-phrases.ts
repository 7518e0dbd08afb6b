/**
 * The fixed wording of LEMMA correction traces: what the solver says right after the wrong step, how it
 * abandons an attempt, and how it introduces the corrected work. Written for this project (LEMMA's own
 * 13 phrases are not reused); each record draws one of each with its Rng, so no phrase dominates.
 */

/** Said right after the erroneous step, before the error is named. */
export const TRANSITION_PHRASES: readonly string[] = [
  "Hold on, let me re-check that step.",
  "Wait, something is off in that last step.",
  "Let me double-check this before going on.",
  "Hmm, that result doesn't look right.",
  "Actually, I should verify that calculation.",
  "Before continuing, let me look at that step again.",
  "That number seems suspicious; let me review the step.",
  "Pause: I'm not sure that step is correct.",
  "Let me go back over what I just did.",
  "Something doesn't add up here; let me check.",
  "On second thought, that step needs another look.",
  "I should make sure that last line is right.",
  "Let me retrace that step carefully.",
  "Careful, I may have slipped up just now.",
  "Wait a moment, I want to check that line against the question.",
  "Hmm, let me test that result before I build on it.",
  "Wait, I don't trust that last line.",
  "Let me stop and read that step once more.",
  "Hang on, that step deserves a second look.",
  "Wait, I think I went wrong there.",
  "That doesn't fit the problem; let me look again.",
  "Let me check that against what the question says.",
  "Wait, before going further I should verify this.",
  "Hmm, I rushed that step. Let me redo it.",
  "Let me sanity-check that number.",
  "Wait, let me reread the question and that step.",
  "I'm not confident in that line; let me check it.",
  "Hmm, let me be more careful with that step.",
  "Wait, that can't be quite right.",
  "Let me pause and look for a mistake in that step.",
  "Something about that step bothers me; let me check it.",
  "Let me verify that step before moving on.",
  "Wait, I should double-check the numbers I just used.",
  "Hmm, that went too fast. Let me look at it again."
]

/** Fresh & Restart: the sentence that abandons the attempt. */
export const RESTART_PHRASES: readonly string[] = [
  "This attempt has gone wrong, so I'll start over and solve it another way.",
  "Rather than patch this, let me begin again from the question.",
  "Let me set this attempt aside and work through the problem afresh.",
  "I'll restart from scratch.",
  "It is simpler to solve the problem again from the beginning.",
  "I'll drop this attempt and rebuild the solution from the question.",
  "Better to start clean and set the work out again.",
  "Let me go back to the question and solve it again.",
  "I'd rather redo the whole solution than patch it.",
  "Starting over will be cleaner.",
  "I'll work it out again from the beginning, more carefully this time."
]

/** Fresh & Restart when the new solution takes the independent steps in another order. */
export const REORDER_PHRASES: readonly string[] = [
  "I'll restart from scratch and take the steps in a different order.",
  "Let me start over, working out the pieces in another order.",
  "Better to start clean and organise the work differently.",
  "Let me begin again and tackle the parts in a different sequence.",
  "I'll redo the whole thing, this time starting from another part of the problem.",
  "Let me start again and work the parts out in a new order.",
  "I'll begin again, taking the pieces of the problem in another order.",
  "Starting over, I'll do the parts in a different order this time."
]

/** Fix & Continue: the sentence that introduces the corrected work. */
export const CONTINUE_PHRASES: readonly string[] = [
  "Correcting it:",
  "Here is the step done right:",
  "Fixing that:",
  "The corrected work is:",
  "Redoing it properly:",
  "So the step should read:",
  "Let me fix it and carry on:",
  "With that fixed:",
  "Putting the right numbers in:",
  "Done properly, the work goes:",
  "Let me redo it from that step:",
  "The step, corrected, and the rest after it:",
  "So from there:",
  "Here is how it should go:",
  "Working it again from that point:",
  "Carrying on with the right value:",
  "Taking it again from there:",
  "Correctly, then:",
  "Let me write it out again:",
  "Fixed, the rest follows:"
]

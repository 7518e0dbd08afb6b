import { Context, Effect, Layer } from "effect"
import { DEFAULT_BATCH_SIZE, Progress, type ProgressShape, type Stage, type StageStatus } from "#dag"

interface StageState {
  status: StageStatus
  /** Parts written or found finished so far (the engine reports each one once). */
  committed: number
  /** How many batches a map stage has in all; unknown for a stream stage. */
  readonly batches?: number
}

/**
 * Where a command is, for the line printed when Ctrl-C or SIGTERM stops it: the run folder, the
 * stages running and how many of their batches are committed, or that it was publishing.
 */
export class Whereabouts {
  runDir: string | undefined
  /** "idle" for commands that are not builds; a build goes from "starting" to "done". */
  phase: "idle" | "starting" | "running" | "publishing" | "done" = "idle"
  stageCount = 0
  readonly stages = new Map<string, StageState>()
  private batchSizes = new Map<string, number | undefined>()

  /** Starts tracking a run: its folder and its stages (for how many batches each has). */
  beginRun(runDir: string, stages: ReadonlyArray<Stage<any>>): void {
    this.runDir = runDir
    this.phase = "running"
    this.stageCount = stages.length
    this.stages.clear()
    this.batchSizes = new Map(stages.map((s) => [s.name, s.kind === "stream" ? undefined : (s.batchSize ?? DEFAULT_BATCH_SIZE)]))
  }

  /** A Progress that records each stage's state here and passes everything on to `display`. */
  track(display: ProgressShape): ProgressShape {
    let closed = false
    return {
      start: (stage, expectedIn) => {
        const batchSize = this.batchSizes.get(stage)
        this.stages.set(stage, {
          status: "running",
          committed: 0,
          ...(batchSize === undefined || expectedIn === undefined ? {} : { batches: Math.ceil(expectedIn / batchSize) })
        })
        display.start(stage, expectedIn)
      },
      advance: (stage, rowsIn, rowsOut) => {
        const s = this.stages.get(stage)
        if (s) s.committed += 1
        display.advance(stage, rowsIn, rowsOut)
      },
      finish: (stage, status) => {
        const s = this.stages.get(stage)
        if (s) s.status = status
        else this.stages.set(stage, { status, committed: 0 })
        display.finish(stage, status)
      },
      close: () => {
        if (closed) return
        closed = true
        display.close()
      }
    }
  }

  /** One line: where the command stopped and that running it again resumes. */
  interruptedMessage(): string {
    if (this.phase === "idle") return "interrupted"
    if (this.runDir === undefined) return "interrupted before the run started; run the same command to start it"
    if (this.phase === "publishing") return `interrupted: run ${this.runDir} finished but publishing stopped; run the same command to publish it`
    if (this.phase === "done") return `interrupted: run ${this.runDir} finished and was published`
    const running = [...this.stages].filter(([, s]) => s.status === "running")
    const finished = [...this.stages.values()].filter((s) => s.status === "done" || s.status === "cached").length
    const where =
      running.length === 0
        ? "stopped"
        : `stopped in stage${running.length === 1 ? "" : "s"} ${running
            .map(([name, s]) => `${name} (${s.batches === undefined ? `${s.committed} part${s.committed === 1 ? "" : "s"}` : `${s.committed} of ${s.batches} batches`} committed)`)
            .join(", ")}`
    return `interrupted: run ${this.runDir} ${where}, ${finished} of ${this.stageCount} stages finished; run the same command to resume`
  }
}

/** The command's Whereabouts: runCli makes one per invocation and reads it when a signal stops the command. */
export class RunWhereabouts extends Context.Service<RunWhereabouts, Whereabouts>()("autodidact/cli/RunWhereabouts") {}

/**
 * The build's Progress: `display` wrapped so that Whereabouts follows the stages, closed when the run
 * ends however it ends (so an interrupted run's display stops redrawing before the last message).
 */
export const trackedProgress = (display: Layer.Layer<Progress>): Layer.Layer<Progress, never, RunWhereabouts> =>
  Layer.effect(
    Progress,
    Effect.gen(function* () {
      const where = yield* RunWhereabouts
      const shown = yield* Progress
      return yield* Effect.acquireRelease(Effect.sync(() => where.track(shown)), (p) => Effect.sync(() => p.close()))
    })
  ).pipe(Layer.provide(display))

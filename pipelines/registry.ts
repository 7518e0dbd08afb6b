import type { PipelineDefinition } from "./pipeline.ts"
import { mathPipeline } from "./math/pipeline.ts"

/** Every pipeline `autodidact build` knows, by name. */
export const pipelines: Readonly<Record<string, PipelineDefinition>> = {
  [mathPipeline.name]: mathPipeline
}

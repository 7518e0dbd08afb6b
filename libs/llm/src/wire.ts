import type { ChatChoice, ChatRequest, ChatResponse, EndpointProfile, FinishReason } from "./chat.ts"

/** The JSON body sent to `/chat/completions` for a request, with `n` samples, as this endpoint wants it. */
export const wireBody = (request: ChatRequest, profile: EndpointProfile, n: number, seed?: number): Record<string, unknown> => {
  const p = request.params ?? {}
  const messages: Array<{ role: string; content: string }> = request.messages.map((m) => ({ role: m.role, content: m.content }))
  const body: Record<string, unknown> = { ...(p.extra ?? {}), model: request.model, messages }
  if (request.prefill !== undefined) {
    messages.push({ role: "assistant", content: request.prefill })
    if (profile.prefill === "continue_final_message") {
      body["continue_final_message"] = true
      body["add_generation_prompt"] = false
    }
  }
  if (p.temperature !== undefined) body["temperature"] = p.temperature
  if (p.top_p !== undefined) body["top_p"] = p.top_p
  if (p.max_tokens !== undefined) body["max_tokens"] = p.max_tokens
  if (p.stop !== undefined && p.stop.length > 0) body["stop"] = [...p.stop]
  if (p.presence_penalty !== undefined) body["presence_penalty"] = p.presence_penalty
  if (p.frequency_penalty !== undefined) body["frequency_penalty"] = p.frequency_penalty
  if (p.logprobs !== undefined) body["logprobs"] = p.logprobs
  if (p.top_logprobs !== undefined) body["top_logprobs"] = p.top_logprobs
  const s = seed ?? p.seed
  if (s !== undefined) body["seed"] = s
  if (n !== 1) body["n"] = n
  if (p.json_schema !== undefined && profile.structuredOutput === "response_format") {
    body["response_format"] = { type: "json_schema", json_schema: { name: p.json_schema.name, schema: p.json_schema.schema, strict: true } }
  }
  return body
}

const FINISH: ReadonlySet<string> = new Set(["stop", "length", "content_filter", "tool_calls"])

/**
 * Reads a chat completion body. Returns a message saying what is wrong when it is not one (the caller
 * treats that as a malformed, retryable answer). The prefill is put back in front of each choice's text.
 */
export const parseCompletion = (raw: string, prefill: string | undefined): ChatResponse | string => {
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    return `the body is not JSON (${raw.length} bytes, starts ${JSON.stringify(raw.slice(0, 40))})`
  }
  const body = json as { choices?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }
  if (!Array.isArray(body.choices) || body.choices.length === 0) return "the body has no choices"
  const choices: Array<ChatChoice> = []
  for (const c of body.choices as Array<{ message?: { content?: unknown }; finish_reason?: unknown; index?: unknown }>) {
    const content = c.message?.content
    const index: number = typeof c.index === "number" ? c.index : choices.length
    // null content is an answer with no text (a reasoning model that spent its whole budget thinking
    // says so with finish_reason "length"): kept as it is, never re-sent unchanged.
    if (c.message === undefined || (typeof content !== "string" && content !== null && content !== undefined)) return `choice ${index} has no message text`
    const reason = typeof c.finish_reason === "string" && FINISH.has(c.finish_reason) ? (c.finish_reason as FinishReason) : "unknown"
    choices.push({ index, text: (prefill ?? "") + (typeof content === "string" ? content : ""), finishReason: reason })
  }
  choices.sort((a, b) => a.index - b.index)
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0)
  return {
    choices,
    usage: { promptTokens: num(body.usage?.prompt_tokens), completionTokens: num(body.usage?.completion_tokens) },
    raw
  }
}

/** Milliseconds the server asks us to wait: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP date. */
export const retryAfterMs = (headers: Readonly<Record<string, string | undefined>>, now: number): number | undefined => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms)
  const after = headers["retry-after"]
  if (after === undefined) return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Number(after) * 1000
  const date = Date.parse(after)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

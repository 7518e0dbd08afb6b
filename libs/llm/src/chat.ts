/** A chat completion as Autodidact asks for it: the model, the messages, and every parameter that changes output. */
export interface ChatMessage {
  readonly role: "system" | "user" | "assistant"
  readonly content: string
}

export interface ChatParams {
  readonly temperature?: number
  readonly top_p?: number
  readonly max_tokens?: number
  readonly stop?: ReadonlyArray<string>
  readonly seed?: number
  readonly presence_penalty?: number
  readonly frequency_penalty?: number
  readonly logprobs?: boolean
  readonly top_logprobs?: number
  /** Structured output: a JSON Schema the answer must follow. */
  readonly json_schema?: { readonly name: string; readonly schema: Record<string, unknown> }
  /** Server-specific fields sent as they are (e.g. vLLM's `repetition_penalty`). */
  readonly extra?: Readonly<Record<string, unknown>>
}

export interface ChatRequest {
  readonly model: string
  readonly messages: ReadonlyArray<ChatMessage>
  readonly params?: ChatParams
  /**
   * Text the answer must start with (assistant prefill). Sent as a trailing assistant message, with the
   * endpoint's continuation flags when it needs them; the returned text includes the prefill.
   */
  readonly prefill?: string
  /** Samples wanted; sent as `n` where the endpoint honours it, else fanned out with derived seeds. */
  readonly n?: number
}

export type FinishReason = "stop" | "length" | "content_filter" | "tool_calls" | "unknown"

export interface ChatChoice {
  /** The choice's `index` in the answer: which of the `n` samples asked it is. */
  readonly index: number
  readonly text: string
  readonly finishReason: FinishReason
}

export interface Usage {
  readonly promptTokens: number
  readonly completionTokens: number
}

export interface ChatResponse {
  readonly choices: ReadonlyArray<ChatChoice>
  readonly usage: Usage
  /** The response body as received, kept so a changed parser can re-read it. */
  readonly raw: string
}

/** How an endpoint wants a prefill: vLLM and SGLang need flags; llama.cpp continues a trailing assistant message itself. */
export type PrefillStyle = "continue_final_message" | "trailing_assistant"

/** What an endpoint can do; found out by probing or configured. */
export interface EndpointProfile {
  readonly honoursN: boolean
  readonly prefill: PrefillStyle
  readonly structuredOutput: "response_format" | "none"
}

export const DEFAULT_PROFILE: EndpointProfile = { honoursN: true, prefill: "continue_final_message", structuredOutput: "response_format" }

/**
 * What each kind of server does (STACK.md, checked on their docs): vLLM and SGLang honour `n` and need
 * continuation flags for a prefill; Ollama's OpenAI layer ignores `n`; llama.cpp's server continues a
 * trailing assistant message by itself; hosted APIs honour `n`. All take `response_format` json_schema.
 */
export const SERVER_PROFILES = {
  vllm: DEFAULT_PROFILE,
  sglang: DEFAULT_PROFILE,
  ollama: { honoursN: false, prefill: "trailing_assistant", structuredOutput: "response_format" },
  llamacpp: { honoursN: false, prefill: "trailing_assistant", structuredOutput: "response_format" },
  openai: { honoursN: true, prefill: "trailing_assistant", structuredOutput: "response_format" }
} as const satisfies Record<string, EndpointProfile>

export type ServerKind = keyof typeof SERVER_PROFILES

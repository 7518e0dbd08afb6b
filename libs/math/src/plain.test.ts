import { describe, expect, it } from "vitest"
import { stripAnnotations } from "./plain.ts"
import { verifySolution } from "./verify.ts"

describe("stripAnnotations", () => {
  it.each([
    ["the result written right after", "42 + 35 = <<42+35=77>>77 cups", "42 + 35 = 77 cups"],
    ["a dollar sign before the annotation", "She took in 77 * 3 = $<<77*3=231>>231.", "She took in 77 * 3 = $231."],
    ["a dollar sign after it", "He pays 9 * 2 = <<9*2=18>>$18.", "He pays 9 * 2 = $18."],
    ["a percent", "Half is 0.5 * 100 = <<0.5*100=50>>50%.", "Half is 0.5 * 100 = 50%."],
    ["thousands separators", "Repairs cost 80000 * 1.5 = $<<80000*1.5=120000>>120,000.", "Repairs cost 80000 * 1.5 = $120,000."],
    ["a space between annotation and result", "3 * 4 = <<3*4=12>> 12 pens", "3 * 4 = 12 pens"],
    ["no result written: the result takes its place", "3 * 4 = <<3*4=12>> pens", "3 * 4 = 12 pens"],
    ["a different number after it is not the result", "So 3 * 4 = <<3*4=12>> 500-gram bags", "So 3 * 4 = 12 500-gram bags"],
    ["an annotation without a result", "Total <<3+4>>7 apples", "Total 7 apples"],
    ["two in one step", "2 * 3 = <<2*3=6>>6 and 6 + 1 = <<6+1=7>>7", "2 * 3 = 6 and 6 + 1 = 7"],
    ["no annotation", "She has 12 pens.\n#### 12", "She has 12 pens.\n#### 12"]
  ])("%s", (_, input, expected) => {
    expect(stripAnnotations(input)).toBe(expected)
  })

  it("keeps lines and the final answer line, so the plain solution still verifies", () => {
    const annotated = "Over the two days she sold 42 + 35 = <<42+35=77>>77 cups.\nShe took in 77 * 3 = $<<77*3=231>>231.\nHer profit was 231 - 48 = $<<231-48=183>>183.\n#### 183"
    const plain = stripAnnotations(annotated)
    expect(plain).toBe("Over the two days she sold 42 + 35 = 77 cups.\nShe took in 77 * 3 = $231.\nHer profit was 231 - 48 = $183.\n#### 183")
    expect(verifySolution(plain, { expected: "183" }).correct).toBe(true)
  })
})

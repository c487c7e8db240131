import { describe, expect, it } from 'vitest'
import { eponymUseAfter, isEponymKey } from './eponyms.js'

describe('medical eponyms', () => {
  it('knows eponyms, also hyphenated', () => {
    for (const k of ['hodgkin', 'graves', 'glasgow', 'guillain-barre', 'non-hodgkin', 'creutzfeldt-jakob']) expect(isEponymKey(k), k).toBe(true)
    for (const k of ['maria', 'smith-jones', 'non']) expect(isEponymKey(k), k).toBe(false)
  })

  it('measures the medical use after an eponym', () => {
    expect(eponymUseAfter("'s disease; more")).toBe("'s disease".length)
    expect(eponymUseAfter("' disease")).toBe("' disease".length)
    expect(eponymUseAfter(' Coma Scale 15')).toBe(' Coma Scale'.length)
    expect(eponymUseAfter(' lymphoma')).toBe(' lymphoma'.length)
    expect(eponymUseAfter('-Barré syndrome')).toBe('-Barré syndrome'.length)
    expect(eponymUseAfter("'s.")).toBe(2)
    expect(eponymUseAfter("'s daughter called")).toBe(0)
    expect(eponymUseAfter(' is a test')).toBe(0)
    expect(eponymUseAfter(' signed the form')).toBe(0)
    expect(eponymUseAfter('')).toBe(0)
  })
})

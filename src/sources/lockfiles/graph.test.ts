import { describe, expect, it } from 'vitest'
import { mergePaths } from './common.js'
import { reachable, scopesFromRoots, shortestChains } from './graph.js'
import type { DepGraph } from './graph.js'

function graphOf(edges: Record<string, string[]>): DepGraph {
  const g: DepGraph = { labels: new Map(), edges: new Map() }
  for (const [k, v] of Object.entries(edges)) {
    g.labels.set(k, `${k}@1.0.0`)
    g.edges.set(k, v)
  }
  return g
}

describe('shortestChains', () => {
  it('breadth first from every root, at most three chains, shortest first, cycles cut', () => {
    const g = graphOf({ a: ['b', 'c'], b: ['d'], c: ['d', 'e'], d: ['a', 'f'], e: ['d'], f: [], x: ['f'] })
    const chains = shortestChains(g, ['a', 'x'])
    expect(chains.get('a')).toEqual([['a@1.0.0']])
    expect(chains.get('f')).toEqual([
      ['x@1.0.0', 'f@1.0.0'],
      ['a@1.0.0', 'b@1.0.0', 'd@1.0.0', 'f@1.0.0'],
      ['a@1.0.0', 'c@1.0.0', 'd@1.0.0', 'f@1.0.0'],
    ])
    expect(chains.get('d')).toEqual([
      ['a@1.0.0', 'b@1.0.0', 'd@1.0.0'],
      ['a@1.0.0', 'c@1.0.0', 'd@1.0.0'],
      ['a@1.0.0', 'c@1.0.0', 'e@1.0.0', 'd@1.0.0'],
    ])
  })

  it('unknown roots and dangling edges are ignored; unreachable nodes get no chain', () => {
    const g = graphOf({ a: ['missing'], lonely: [] })
    const chains = shortestChains(g, ['a', 'nope'])
    expect([...chains.keys()]).toEqual(['a'])
  })

  it('stays linear on a deep, dense graph', () => {
    const edges: Record<string, string[]> = {}
    for (let i = 0; i < 3000; i++) edges[`n${i}`] = [1, 2, 3, 4, 5].map((k) => `n${(i + k) % 3000}`)
    const start = performance.now()
    const chains = shortestChains(graphOf(edges), ['n0'])
    expect(chains.size).toBe(3000)
    expect(chains.get('n1')![0]).toEqual(['n0@1.0.0', 'n1@1.0.0'])
    expect(performance.now() - start).toBeLessThan(2000)
  })
})

describe('scopes and paths', () => {
  it('prod wins over dev, dev over optional', () => {
    const g = graphOf({ app: ['shared'], tool: ['shared', 'devonly'], opt: ['optonly'], shared: [], devonly: [], optonly: [] })
    const s = scopesFromRoots(g, { prod: ['app'], dev: ['tool'], optional: ['opt'] })
    expect(Object.fromEntries(s)).toEqual({ app: 'prod', shared: 'prod', tool: 'dev', devonly: 'dev', opt: 'optional', optonly: 'optional' })
    expect([...reachable(g, ['tool'])].sort()).toEqual(['devonly', 'shared', 'tool'])
  })

  it('mergePaths deduplicates, orders by length then text, keeps three', () => {
    expect(mergePaths([['b', 'x'], ['a', 'b', 'x']], [['a', 'x'], ['b', 'x'], ['c', 'd', 'e', 'x']])).toEqual([
      ['a', 'x'],
      ['b', 'x'],
      ['a', 'b', 'x'],
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { canLoadMore, filterKey, initialList, pagedReducer, type PagedList } from './pagination'

type Row = { id: string; state: string }
const rows = (...ids: string[]): Row[] => ids.map((id) => ({ id, state: 'open' }))

describe('pagedReducer', () => {
  it('loads a first page, then appends the next one by cursor', () => {
    let s: PagedList<Row> = pagedReducer(initialList<Row>(), { type: 'reset', query: 'state=open' })
    expect(s.loading).toBe(true)
    expect(canLoadMore(s)).toBe(false)
    s = pagedReducer(s, { type: 'page', query: 'state=open', page: { items: rows('a', 'b'), total: 3, nextCursor: 'c1' }, append: false })
    expect(s.items.map((r) => r.id)).toEqual(['a', 'b'])
    expect(canLoadMore(s)).toBe(true)
    s = pagedReducer(s, { type: 'loading', query: 'state=open' })
    expect(canLoadMore(s)).toBe(false)
    s = pagedReducer(s, { type: 'page', query: 'state=open', page: { items: rows('c'), total: 3, nextCursor: null }, append: true })
    expect(s.items.map((r) => r.id)).toEqual(['a', 'b', 'c'])
    expect(s.total).toBe(3)
    expect(canLoadMore(s)).toBe(false)
  })

  it('ignores a late answer for the previous filter', () => {
    let s = pagedReducer(initialList<Row>(), { type: 'reset', query: 'q=old' })
    s = pagedReducer(s, { type: 'reset', query: 'q=new' })
    s = pagedReducer(s, { type: 'page', query: 'q=old', page: { items: rows('stale'), total: 1, nextCursor: null }, append: false })
    expect(s.items).toEqual([])
    expect(s.loading).toBe(true)
    s = pagedReducer(s, { type: 'error', query: 'q=old', error: new Error('late') })
    expect(s.error).toBeNull()
    s = pagedReducer(s, { type: 'page', query: 'q=new', page: { items: rows('fresh'), total: 1, nextCursor: null }, append: false })
    expect(s.items.map((r) => r.id)).toEqual(['fresh'])
  })

  it('keeps loaded rows when loading more fails', () => {
    let s = pagedReducer(initialList<Row>('k'), { type: 'page', query: 'k', page: { items: rows('a'), total: 2, nextCursor: 'c' }, append: false })
    s = pagedReducer(s, { type: 'error', query: 'k', error: new Error('503') })
    expect(s.items).toHaveLength(1)
    expect(s.loaded).toBe(true)
    expect(s.error).toBeInstanceOf(Error)
  })

  it('replaces and removes rows in place', () => {
    let s = pagedReducer(initialList<Row>('k'), { type: 'page', query: 'k', page: { items: rows('a', 'b'), total: 2, nextCursor: null }, append: false })
    s = pagedReducer(s, { type: 'replace', match: (r) => r.id === 'b', item: { id: 'b', state: 'acknowledged' } })
    expect(s.items.find((r) => r.id === 'b')?.state).toBe('acknowledged')
    s = pagedReducer(s, { type: 'remove', match: (r) => r.id === 'a' })
    expect(s.items.map((r) => r.id)).toEqual(['b'])
    expect(s.total).toBe(1)
  })
})

describe('filterKey', () => {
  it('is stable across key order and drops empty filters', () => {
    expect(filterKey({ severity: 'high', q: '', status: 'fail', cursor: null })).toBe('severity=high&status=fail')
    expect(filterKey({ status: 'fail', severity: 'high' })).toBe(filterKey({ severity: 'high', status: 'fail' }))
    expect(filterKey({})).toBe('')
  })
})

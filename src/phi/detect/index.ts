/**
 * @module phi/detect
 * Structured HIPAA identifiers (everything but names, geography and photos): one entry point,
 * `detectStructured`, each individual detector, and the validators for reuse.
 */
import type { Detector } from '../types.js'
import { readCtx } from './context.js'
import { detectCued } from './cues.js'
import { detectAges as ages, detectCodes as codes } from './codes.js'
import { detectDates as dates } from './dates.js'
import { detectCards as cards, detectPhones as phones, detectSsn as ssn } from './numbers.js'
import { detectEmails as emails, detectIps as ips, detectUrls as urls } from './web.js'

export { detectStructured, resolveOverlaps } from './structured.js'
export { isValidPhone } from './numbers.js'
export { isValidCard, isValidDea, isValidGtin, isValidHibcc, isValidIban, isValidImei, isValidMbi, isValidNpi, isValidSsn, isValidVin, luhn } from './validators.js'
export { normalizeField, isInfraField, isTimeField, fieldType } from './context.js'

/** DATE: dates other than a bare year; event timestamps in logs and time fields excluded (see dates.ts). */
export const detectDates: Detector = (text, ctx) => dates(text, readCtx(ctx))
/** AGE_OVER_89: ages 90–125 with an age cue. */
export const detectAges: Detector = (text, ctx) => ages(text, readCtx(ctx))
/** SSN: formatted, or 9 digits with a cue; invalid ranges rejected. */
export const detectSsn: Detector = (text, ctx) => ssn(text, readCtx(ctx))
/** PHONE and FAX, validated with libphonenumber-js. */
export const detectPhones: Detector = (text, ctx) => phones(text, readCtx(ctx))
/** ACCOUNT: payment cards (Luhn) and IBANs (mod 97). */
export const detectCards: Detector = (text, ctx) => cards(text, readCtx(ctx))
/** EMAIL addresses. */
export const detectEmails: Detector = (text, ctx) => emails(text, readCtx(ctx))
/** URL: http(s)/ftp and www. addresses. */
export const detectUrls: Detector = (text, ctx) => urls(text, readCtx(ctx))
/** IP: IPv4 and IPv6. */
export const detectIps: Detector = (text, ctx) => ips(text, readCtx(ctx))
/** Self-validating codes: DEA, MBI, VIN, GS1 and HIBCC UDIs. */
export const detectCodes: Detector = (text, ctx) => codes(text, readCtx(ctx))
/** Cue-led identifiers: MRN, HEALTH_PLAN, ACCOUNT, LICENSE, VEHICLE, DEVICE, BIOMETRIC, OTHER_ID. */
export const detectCuedIds: Detector = (text, ctx) => detectCued(text, readCtx(ctx))

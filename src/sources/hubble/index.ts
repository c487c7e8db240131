/**
 * @module sources/hubble
 * Cilium Hubble flows (`hubble observe -o json`, wrapped `{"flow": …}` or bare flow objects,
 * one per line): Kubernetes endpoints become workload identities, world addresses become FQDNs
 * learned from Hubble's DNS records and FQDN cache, replies fold into the connection they
 * answer, and each edge is counted from one observation point. See `read.ts` for the choices.
 */
export { readHubbleFlows, looksLikeHubble } from './read.js'

#!/usr/bin/env node
// cdk-nag (HIPAA.Security pack) over CloudFormation templates, the way cdk-nag documents it for
// existing templates: a CDK App, one Stack per template, `new CfnInclude(stack, 'T', { templateFile })`,
// the pack registered on the App, then `app.synth()`. Run by bench/run.mjs in a child process
// so its wall time includes process start and module loading, like PhiWall's.
//
//   node bench/cdk-nag.mjs classify LIST.json OUT.json   one App per template (untimed): which
//                                                          templates can cdk-nag judge, and why not
//   node bench/cdk-nag.mjs judge LIST.json OUT.json      one App for all templates (timed by the
//                                                          parent): phase times and what cdk-nag found
//
// LIST.json is a JSON array of template paths. cdk-nag v3 is a CDK policy-validation plugin
// (`Validations.of(app).addPlugins(new HIPAASecurityChecks(app))`; v2's `Aspects.of(app).add(...)`
// is gone), so its findings are "violations" in the plugin report, not annotations; this script
// captures the report the plugin returns to CDK and counts them.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const t0 = performance.now()
const [mode, listFile, outFile] = process.argv.slice(2)
if (!['classify', 'judge'].includes(mode) || !listFile || !outFile) {
  process.stderr.write('usage: node bench/cdk-nag.mjs classify|judge LIST.json OUT.json\n')
  process.exit(2)
}
const templates = JSON.parse(fs.readFileSync(listFile, 'utf8'))

const { App, Stack, Validations, CfnResource } = await import('aws-cdk-lib')
const { CfnInclude } = await import('aws-cdk-lib/cloudformation-include')
const { HIPAASecurityChecks } = await import('cdk-nag')
const tLoaded = performance.now()

/** HIPAA.Security with the report it hands to CDK kept, so the bench can show what it found. */
class RecordingHipaaChecks extends HIPAASecurityChecks {
  reports = []
  validate(context) {
    const report = super.validate(context)
    this.reports.push(report)
    return report
  }
}

function newApp(outdir) {
  return new App({
    outdir,
    // CDK's own cfn-lint-style template validation is not cdk-nag: switched off so only the
    // HIPAA pack is measured (this makes cdk-nag faster, i.e. the comparison conservative).
    builtinCloudFormationValidation: false,
    context: {
      // judge templates over CloudFormation's 500-resource stack limit instead of refusing them
      '@aws-cdk/core:stackResourceLimit': 0,
      // let synth finish and return the report instead of printing it and throwing
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  })
}

function countCfnResources(scope, typePrefix = '') {
  let n = 0
  const walk = (c) => {
    if (CfnResource.isCfnResource(c) && c.cfnResourceType.startsWith(typePrefix)) n++
    for (const child of c.node.children) walk(child)
  }
  walk(scope)
  return n
}

function summarise(reports) {
  const byRule = {}
  let violations = 0
  let ruleErrors = 0
  const pluginFailures = []
  for (const r of reports) {
    for (const v of r.violations ?? []) {
      // `Rule threw an error during validation` is cdk-nag's own marker for a rule that could not decide
      if (/Rule threw an error/.test(v.description ?? '')) ruleErrors += v.violatingResources.length
      const rule = v.ruleName.replace(/\[.*$/, '')
      byRule[rule] = (byRule[rule] ?? 0) + v.violatingResources.length
      violations += v.violatingResources.length
    }
    if (r.success === false && !(r.violations ?? []).length) pluginFailures.push('plugin reported failure without violations')
  }
  return { violations, ruleErrors, rules: Object.keys(byRule).length, byRule, pluginFailures }
}

function reason(err) {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0]
  return msg.length > 240 ? `${msg.slice(0, 240)}…` : msg
}

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-bench-cdk-'))
try {
  if (mode === 'classify') {
    const results = []
    templates.forEach((file, i) => {
      const app = newApp(path.join(tmpRoot, `c${i}`))
      const pack = new RecordingHipaaChecks(app, { verbose: false })
      Validations.of(app).addPlugins(pack)
      try {
        const stack = new Stack(app, `T${i}`)
        new CfnInclude(stack, 'T', { templateFile: file })
        const resources = countCfnResources(stack)
        // CfnInclude keeps a SAM template's Transform as is: AWS::Serverless::* resources stay
        // unexpanded, and no HIPAA.Security rule looks at those types
        const serverlessResources = countCfnResources(stack, 'AWS::Serverless::')
        app.synth()
        const s = summarise(pack.reports)
        if (!pack.reports.length) results.push({ file, ok: false, reason: 'cdk-nag plugin did not run' })
        else results.push({ file, ok: true, resources, serverlessResources, violations: s.violations })
      } catch (err) {
        results.push({ file, ok: false, reason: reason(err) })
      }
      fs.rmSync(path.join(tmpRoot, `c${i}`), { recursive: true, force: true })
    })
    fs.writeFileSync(outFile, JSON.stringify({ mode, results }, null, 2))
  } else {
    const app = newApp(path.join(tmpRoot, 'judge'))
    const pack = new RecordingHipaaChecks(app, { verbose: false })
    Validations.of(app).addPlugins(pack)
    templates.forEach((file, i) => {
      const stack = new Stack(app, `T${i}`)
      new CfnInclude(stack, 'T', { templateFile: file })
    })
    const tIncluded = performance.now()
    const resources = countCfnResources(app)
    const tCounted = performance.now()
    app.synth()
    const tSynth = performance.now()
    const s = summarise(pack.reports)
    fs.writeFileSync(outFile, JSON.stringify({
      mode,
      templates: templates.length,
      resources,
      ...s,
      reports: pack.reports.length,
      phasesMs: {
        loadModules: Math.round(tLoaded - t0),
        cfnInclude: Math.round(tIncluded - tLoaded),
        synthAndValidate: Math.round(tSynth - tCounted),
        sinceProcessStart: Math.round(tSynth),
      },
    }, null, 2))
  }
} finally {
  fs.rmSync(tmpRoot, { recursive: true, force: true })
}

import { isIntrinsic } from '../../cloudformation/index.js'
import { compact, nested, nonBlank } from '../reader.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

/** Step Functions state machines: role, definition, logging, tracing and encryption. */
export const SFN_CONVERTERS: Record<string, TfConverter> = {
  aws_sfn_state_machine: (r) => {
    const logging = r.block('logging_configuration')
    const tracing = r.block('tracing_configuration')
    const enc = r.block('encryption_configuration')
    const definition = r.json('definition')
    const destination = logging ? nonBlank(logging.ref('log_destination')) : undefined
    return [
      own(
        r,
        'AWS::StepFunctions::StateMachine',
        {
          StateMachineName: r.get('name'),
          StateMachineType: r.get('type'),
          RoleArn: r.ref('role_arn'),
          Definition: definition !== null && typeof definition === 'object' && !isIntrinsic(definition) ? definition : undefined,
          DefinitionString: typeof definition === 'string' || (definition !== null && typeof definition === 'object' && isIntrinsic(definition)) ? definition : undefined,
          LoggingConfiguration: logging
            ? compact({
                Level: logging.get('level'),
                IncludeExecutionData: logging.get('include_execution_data'),
                Destinations: destination !== undefined ? [{ CloudWatchLogsLogGroup: { LogGroupArn: destination } }] : undefined,
              })
            : undefined,
          TracingConfiguration: tracing ? nested({ Enabled: tracing.get('enabled') }) : undefined,
          EncryptionConfiguration: enc ? nested({ Type: enc.get('type'), KmsKeyId: nonBlank(enc.ref('kms_key_id')), KmsDataKeyReusePeriodSeconds: enc.get('kms_data_key_reuse_period_seconds') }) : undefined,
          Tags: r.tags(),
        },
        { lines: { StateMachineType: 'type', Definition: 'definition', DefinitionString: 'definition' } },
      ),
    ]
  },
}

import { describe, expect, it } from 'vitest';
import { causesInMessage, statusFailure } from './statusCauses';

describe('the fields a Status names', () => {
  it('keeps 422 causes as the API server listed them', () => {
    const body = {
      kind: 'Status',
      code: 422,
      reason: 'Invalid',
      message:
        'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      details: {
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: -1: must be greater than or equal to 0',
            field: 'spec.replicas',
          },
        ],
      },
    };
    expect(statusFailure(422, body, '')).toEqual({
      code: 422,
      reason: 'Invalid',
      message: body.message,
      causes: [
        { field: 'spec.replicas', reason: 'FieldValueInvalid', message: body.details.causes[0]?.message },
      ],
    });
  });

  it('finds the field in decoding errors that only name it in the message', () => {
    expect(
      causesInMessage(
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      ),
    ).toEqual([
      {
        field: 'spec.replicas',
        reason: 'FieldValueTypeInvalid',
        message: 'cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      },
    ]);
    expect(
      causesInMessage('strict decoding error: unknown field "spec.foo", duplicate field "metadata.name"'),
    ).toEqual([
      { field: 'spec.foo', reason: 'FieldValueUnknown', message: 'unknown field "spec.foo"' },
      { field: 'metadata.name', reason: 'FieldValueDuplicate', message: 'duplicate field "metadata.name"' },
    ]);
    expect(
      causesInMessage(
        'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string',
      ),
    ).toEqual([
      {
        field: 'spec.replicas',
        reason: 'FieldValueTypeInvalid',
        message: 'expected numeric (int or float), got string',
      },
    ]);
  });

  it('uses the reply text when the reply is not a Status', () => {
    expect(statusFailure(502, undefined, 'bad gateway\n')).toEqual({
      code: 502,
      reason: 'Unknown',
      message: 'bad gateway',
      causes: [],
    });
  });
});

import 'reflect-metadata';

import { INJECTABLE_WATERMARK } from '@nestjs/common/constants.js';

import { JobHandler, jobHandlerNameOf } from './job-handler.decorator.js';

@JobHandler('system.probe')
class ProbeHandler {
  handle(): Promise<void> {
    return Promise.resolve();
  }
}

class PlainService {}

describe('@JobHandler', () => {
  it('records the job a class handles', () => {
    expect(jobHandlerNameOf(ProbeHandler)).toBe('system.probe');
  });

  it('makes the class injectable', () => {
    expect(Reflect.getMetadata(INJECTABLE_WATERMARK, ProbeHandler)).toBe(true);
  });

  it('finds nothing on other classes and values', () => {
    expect(jobHandlerNameOf(PlainService)).toBeUndefined();
    expect(jobHandlerNameOf(undefined)).toBeUndefined();
    expect(jobHandlerNameOf({})).toBeUndefined();
  });
});

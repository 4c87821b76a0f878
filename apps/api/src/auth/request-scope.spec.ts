import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';

import { currentContext, runWithContext, type TenantTransaction } from '@mend/core';
import type { Principal } from '@mend/identity';

import {
  CurrentPrincipal,
  requestScope,
  runInRequestScope,
  scopeParametersOf,
  Tx,
  withScopeArguments,
  type RequestScope,
} from './request-scope.js';

const scopeOf = (name: string): RequestScope => ({
  tx: { name } as unknown as TenantTransaction,
  principal: { userId: name } as unknown as Principal,
  accessDecisions: [],
});

describe('request scope', () => {
  it('is there for the work run in it, across awaits, and gone after', async () => {
    const scope = scopeOf('a');
    await runWithContext({ correlationId: 'req-1', clinicId: 'clinic-1' }, async () => {
      expect(() => requestScope()).toThrow(/No authenticated request/);
      await runInRequestScope(scope, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        expect(requestScope()).toBe(scope);
        // The request's ids stay visible to the logger inside the scope.
        expect(currentContext()).toMatchObject({ correlationId: 'req-1', clinicId: 'clinic-1' });
      });
      expect(() => requestScope()).toThrow(/No authenticated request/);
      expect(currentContext()).not.toHaveProperty('scope');
    });
  });

  it('keeps two requests in flight apart', async () => {
    const seen: string[] = [];
    const request = (name: string, delay: number) =>
      runWithContext({ correlationId: name }, () =>
        runInRequestScope(scopeOf(name), async () => {
          await new Promise((resolve) => setTimeout(resolve, delay));
          seen.push(`${currentContext()?.correlationId}:${(requestScope().tx as unknown as { name: string }).name}`);
        }),
      );
    await Promise.all([request('first', 20), request('second', 1)]);
    expect(seen).toEqual(['second:second', 'first:first']);
  });

  it('works outside any request context (a scope of its own)', async () => {
    const scope = scopeOf('b');
    await runInRequestScope(scope, async () => {
      await Promise.resolve();
      expect(requestScope()).toBe(scope);
    });
  });
});

describe('@Tx() and @CurrentPrincipal()', () => {
  class Probe {
    handler(_first: string, _tx: TenantTransaction, _body: unknown, _principal: Principal): void {}
    plain(_body: unknown): void {}
  }
  Tx()(Probe.prototype, 'handler', 1);
  CurrentPrincipal()(Probe.prototype, 'handler', 3);

  it('mark where the unit of work puts the transaction and the caller', () => {
    const probe = new Probe();
    expect(scopeParametersOf(probe, 'handler')).toEqual(
      expect.arrayContaining([
        { index: 1, kind: 'tx' },
        { index: 3, kind: 'principal' },
      ]),
    );
    expect(scopeParametersOf(probe, 'handler')).toHaveLength(2);
    expect(scopeParametersOf(probe, 'plain')).toEqual([]);
  });

  it('are filled into the arguments Nest built, which keep their own values', () => {
    const { tx, principal } = scopeOf('c');
    const nestArgs = ['first', undefined, { body: true }];
    const filled = withScopeArguments(nestArgs, scopeParametersOf(new Probe(), 'handler'), tx, principal);
    expect(filled).toEqual(['first', tx, { body: true }, principal]);
    expect(nestArgs).toEqual(['first', undefined, { body: true }]);
  });

  it('are not Nest parameters (Nest builds nothing and runs no pipe for them)', () => {
    expect(Reflect.getMetadata(ROUTE_ARGS_METADATA, Probe, 'handler')).toBeUndefined();
  });
});

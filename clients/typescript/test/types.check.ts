// Compile-time checks of the client's types (tsc -p tsconfig.test.json, part of `npm test`): routes, bodies and
// problem codes are typed by the contract. A line marked @ts-expect-error fails the build if it ever compiles.
import { createIvsServerlessClient, ok, type Problem, type ProblemCode, type Stage } from '../src/index.js';

const api = createIvsServerlessClient({ baseUrl: 'http://127.0.0.1:3000', token: () => 'jwt' });

export async function typed(): Promise<void> {
  const stage: Stage = await ok(api.POST('/stages', { body: { name: 'demo', visibility: 'public' } }));
  void stage.stageId.toUpperCase();

  // @ts-expect-error visibility is 'public' | 'private'
  await api.POST('/stages', { body: { name: 'demo', visibility: 'secret' } });
  // @ts-expect-error name and visibility are required
  await api.POST('/stages', { body: { name: 'demo' } });
  // @ts-expect-error no such route
  await api.GET('/stage');
  // @ts-expect-error the stageId path parameter is required
  await api.GET('/stages/{stageId}', {});
  // @ts-expect-error capabilities are PUBLISH or SUBSCRIBE
  await api.POST('/stages/{stageId}/participant-tokens', { params: { path: { stageId: 'x' } }, body: { capabilities: ['ADMIN'] } });

  const { error } = await api.PATCH('/stages/{stageId}', { params: { path: { stageId: stage.stageId } }, body: { name: 'x' } });
  if (error && 'code' in error) {
    const code: ProblemCode = error.code;
    void code;
    if (error.status === 403) {
      const forbidden: 'owner-only' | 'capability-not-allowed' | 'not-allowed-to-join' | 'banned' | 'token-not-yours' = error.code;
      void forbidden;
    }
  }
}

export function narrows(problem: Problem): string {
  switch (problem.code) {
    case 'owner-only':
      return 'only the owner may';
    case 'stage-not-found':
      return 'gone';
    // @ts-expect-error not a code of the contract
    case 'no-such-code':
      return 'never';
    default:
      return problem.detail;
  }
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type SigningKey = Schemas['SigningKey'];

export const useSigningKeys = () => useQuery({ queryKey: ['signing-keys'], queryFn: () => data(api.GET('/v1/signing-keys')) });

function useKeyWrite<Input>(write: (input: Input) => Promise<SigningKey>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: write, onSettled: () => queryClient.invalidateQueries({ queryKey: ['signing-keys'] }) });
}

export const useRotateSigningKey = () => useKeyWrite((reason: string) => data(api.POST('/v1/signing-keys/rotate', { body: { reason } })));
export const useRetireSigningKey = () =>
  useKeyWrite(({ id, reason }: { id: string; reason: string }) => data(api.POST('/v1/signing-keys/{id}/retire', { params: { path: { id } }, body: { reason } })));

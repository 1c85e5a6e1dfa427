import { useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type PortalLicense = Schemas['PortalLicense'];
export type PortalLicenseDetail = Schemas['PortalLicenseDetail'];
export type Machine = PortalLicenseDetail['machines'][number];
export type HistoryEntry = Schemas['PortalLicenseHistory']['data'][number];

const path = (id: string) => ({ params: { path: { id } } });

export const useLicenses = () => useQuery({ queryKey: ['portal', 'licenses'], queryFn: () => data(api.GET('/v1/portal/licenses')) });
export const useLicense = (id: string) => useQuery({ queryKey: ['portal', 'license', id], queryFn: () => data(api.GET('/v1/portal/licenses/{id}', path(id))), retry: false });
export const useHistory = (id: string) => useQuery({ queryKey: ['portal', 'license', id, 'history'], queryFn: () => data(api.GET('/v1/portal/licenses/{id}/history', path(id))) });

export const freeSeat = (id: string, activationId: string) =>
  data(api.POST('/v1/portal/licenses/{id}/machines/{activationId}/free', { params: { path: { id, activationId } } }));

export const revealKey = (id: string) => data(api.POST('/v1/portal/licenses/{id}/key', path(id)));

export const rotateKey = (id: string, reason: string) => data(api.POST('/v1/portal/licenses/{id}/rotate-key', { ...path(id), body: reason ? { reason } : {} }));

export const openRenewal = (id: string) => data(api.POST('/v1/portal/licenses/{id}/renewal', path(id)));

/** The license file's text and its file name (from Content-Disposition). */
export async function fetchLicenseFile(id: string, fingerprint: string): Promise<{ text: string; fileName: string }> {
  const { data: text, response } = await api.POST('/v1/portal/licenses/{id}/license-files', { ...path(id), body: { fingerprint }, parseAs: 'text' });
  const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'license.kwlicense';
  return { text: text as string, fileName };
}

import { Client } from '@hubspot/api-client';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import { withTimeout } from './provider-failure.ts';

/** HubSpot-defined association types (v4): task → contact, task → company. */
const TASK_TO_CONTACT = 204;
const TASK_TO_COMPANY = 192;

export interface CrmTarget {
  contactId: string | null;
  companyId: string | null;
}

/**
 * HubSpot through @hubspot/api-client (Bearer private-app token). The client's own retries are
 * off: Temporal retries the delivery activity, honouring Retry-After.
 */
export class HubSpotGateway {
  readonly #client: Client;
  readonly #timeoutMs: number;
  readonly configured: boolean;

  constructor(config: OutreachConfig['hubspot'], timeoutMs: number) {
    this.configured = Boolean(config.accessToken);
    this.#timeoutMs = timeoutMs;
    this.#client = new Client({ accessToken: config.accessToken, basePath: config.basePath, numberOfApiCallRetries: 0 });
  }

  #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    return withTimeout(`HubSpot ${what}`, this.#timeoutMs, call);
  }

  /** The account owner: the company's, else the contact's `hubspot_owner_id`. */
  async ownerOf(target: CrmTarget): Promise<string | null> {
    if (target.companyId) {
      const company = await this.#call('company', () => this.#client.crm.companies.basicApi.getById(target.companyId!, ['hubspot_owner_id']));
      if (company.properties.hubspot_owner_id) return company.properties.hubspot_owner_id;
    }
    if (target.contactId) {
      const contact = await this.#call('contact', () => this.#client.crm.contacts.basicApi.getById(target.contactId!, ['hubspot_owner_id']));
      if (contact.properties.hubspot_owner_id) return contact.properties.hubspot_owner_id;
    }
    return null;
  }

  async createTask(properties: Record<string, string>, target: CrmTarget): Promise<string> {
    const associations = [
      ...(target.contactId ? [{ to: { id: target.contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_TO_CONTACT }] }] : []),
      ...(target.companyId ? [{ to: { id: target.companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_TO_COMPANY }] }] : []),
    ];
    const task = await this.#call('create task', () => this.#client.crm.objects.tasks.basicApi.create({ properties, associations: associations as never }));
    return task.id;
  }

  async updateTask(taskId: string, properties: Record<string, string>): Promise<void> {
    await this.#call('update task', () => this.#client.crm.objects.tasks.basicApi.update(taskId, { properties }));
  }

  /**
   * A task already created for this message (its body carries the reference): a retry after a
   * crash between HubSpot's answer and our write finds it instead of creating a second one.
   */
  async findTask(reference: string): Promise<string | null> {
    const found = await this.#call('search tasks', () =>
      this.#client.crm.objects.tasks.searchApi.doSearch({
        filterGroups: [{ filters: [{ propertyName: 'hs_task_body', operator: 'CONTAINS_TOKEN', value: reference }] }],
        properties: ['hs_task_subject'],
        limit: 1,
      } as never),
    );
    return found.results[0]?.id ?? null;
  }
}

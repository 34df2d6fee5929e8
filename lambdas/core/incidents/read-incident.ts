import { NotFoundError } from '../ports';
import type { Incident } from './incident';
import type { IncidentStore } from './ports';

/** One incident by its id, or 404. */
export async function readIncident(
  incidentId: string,
  store: Pick<IncidentStore, 'load'>,
): Promise<Incident> {
  const incident = /^inc_[0-9A-Za-z]{10,40}$/.test(incidentId) ? await store.load(incidentId) : undefined;
  if (!incident) throw new NotFoundError(`no incident ${incidentId.slice(0, 60)}`);
  return incident;
}

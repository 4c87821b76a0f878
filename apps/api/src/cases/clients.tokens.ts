/** Nest token of the clients and cases services (@mend/clients). */
export const CLIENTS_SERVICES = Symbol('CLIENTS_SERVICES');

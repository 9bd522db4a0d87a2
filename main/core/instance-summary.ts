/** What the app knows of an instance: never its token or configuration secrets. */
export interface InstanceSummary {
  /** Decimal digits, kept as a string so no digit is ever lost. */
  id: string;
  name: string;
  elementKey: string;
  createdDate: string | undefined;
  /** Base64 of the id and the events URL; empty for polling elements, which have none. */
  encodedId: string;
  eventsUrl: string;
}

export interface CreatedInstance extends InstanceSummary {
  /** True when the answer to the POST was lost and the instance was found by name afterwards. */
  reconciled: boolean;
}

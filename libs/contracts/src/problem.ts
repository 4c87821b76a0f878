export interface FieldProblem {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly correlationId: string;
  readonly errors?: readonly FieldProblem[];
  readonly errorId?: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';

import {
  COACH_FAMILIES,
  COACH_MAX_TEXT_LENGTH,
  COACH_MODES,
  COACH_SEVERITIES,
  DOWNGRADE_REASONS,
  type CoachFamily,
  type CoachMode,
  type CoachSeverity,
  type DowngradeReason,
} from '@mend/coach';

export class CoachHintsRequest {
  @ApiProperty({
    maxLength: COACH_MAX_TEXT_LENGTH,
    example: 'You never tell me where you are.',
    description: `The draft being written (at most ${COACH_MAX_TEXT_LENGTH} characters). Never stored or logged.`,
  })
  @IsString()
  @MaxLength(COACH_MAX_TEXT_LENGTH)
  text: string;

  @ApiProperty({
    enum: COACH_MODES,
    example: 'on',
    description:
      "The exercise's coach mode: `on` (full rules), `accountability` (adds non-apology and minimising), " +
      '`gentle` (absolutes and labels only, as info), `off` (no coach).',
  })
  @IsIn(COACH_MODES)
  mode: CoachMode;
}

export class CoachSpanResponse {
  @ApiProperty({ description: 'Offset of the first character, in UTF-16 code units (JavaScript string index)' })
  start: number;
  @ApiProperty({ description: 'Offset after the last character (exclusive)' })
  end: number;
  @ApiProperty({ description: 'text.slice(start, end), as sent' })
  text: string;
}

export class CoachHintResponse {
  @ApiProperty({ example: 'ABS-1', description: 'Stable rule id (family and pattern number)' })
  ruleId: string;
  @ApiProperty({ enum: COACH_FAMILIES, example: 'ABS' })
  family: CoachFamily;
  @ApiProperty({ example: 'Absolutes / overgeneralisation' })
  familyName: string;
  @ApiProperty({ enum: COACH_SEVERITIES, description: 'info < suggest < strong-suggest' })
  severity: CoachSeverity;
  @ApiProperty({
    enum: DOWNGRADE_REASONS,
    nullable: true,
    type: String,
    description: 'Why the hint is shown below its rule severity (reported speech, gentle mode, an info-only marker)',
  })
  downgradedBecause: DowngradeReason | null;
  @ApiProperty({ type: CoachSpanResponse })
  span: CoachSpanResponse;
  @ApiProperty({ description: 'One line: why this phrasing can backfire' })
  why: string;
  @ApiProperty({ description: 'A reframe to fill in (never a silent rewrite)' })
  scaffold: string;
  @ApiProperty({ description: 'Further markers of the same family in the same sentence, folded into this hint' })
  extraMarkers: number;
}

export class CoachHintsResponse {
  @ApiProperty({ enum: COACH_MODES })
  mode: CoachMode;
  @ApiProperty({ type: [CoachHintResponse], description: 'At most three, highest severity first, then in text order' })
  hints: CoachHintResponse[];
  @ApiProperty({ description: 'Hints found beyond the three shown' })
  withheld: number;
  @ApiProperty({
    description:
      'True when the text contains threat, violence, abuse or self-harm language: the coach then offers no rewrite ' +
      'at all (safety precedence). It is not a safety check: the risk scan reviews saved answers separately.',
  })
  coachingPaused: boolean;
}

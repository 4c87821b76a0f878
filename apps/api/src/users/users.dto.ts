import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';

import { MEMBERSHIP_ROLES, MEMBERSHIP_STATUSES, type MembershipRole, type MembershipStatus } from '@mend/contracts';

export class MemberResponse {
  @ApiProperty({ format: 'uuid' }) membershipId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) displayName: string | null;
  @ApiProperty({ enum: MEMBERSHIP_ROLES, isArray: true }) roles: MembershipRole[];
  @ApiProperty({ enum: MEMBERSHIP_STATUSES }) status: MembershipStatus;
  @ApiProperty() mfaEnrolled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) disabledAt: string | null;
  @ApiProperty({ type: [String], description: 'Memberships supervising this counselor' })
  supervisorMembershipIds: string[];
  @ApiProperty({ type: [String], description: 'Counselors this supervisor supervises' })
  superviseeMembershipIds: string[];
}

export class InviteRequest {
  @ApiProperty({ example: 'new.counselor@example.org' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({
    enum: MEMBERSHIP_ROLES,
    isArray: true,
    example: ['counselor'],
    description: 'Staff roles in any combination, or `client` alone',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(MEMBERSHIP_ROLES, { each: true })
  roles: MembershipRole[];
}

export class InvitationResponse {
  @ApiProperty({ format: 'uuid' }) invitationId: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: MEMBERSHIP_ROLES, isArray: true }) roles: MembershipRole[];
  @ApiProperty({
    description:
      'The acceptance link, single use, valid 7 days. Mend sends no email yet: hand it to the invitee. It is shown only in this answer.',
  })
  link: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class UpdateMemberRequest {
  @ApiPropertyOptional({ enum: MEMBERSHIP_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(MEMBERSHIP_ROLES, { each: true })
  roles?: MembershipRole[];

  @ApiPropertyOptional({ enum: MEMBERSHIP_STATUSES, description: 'disabled ends their login sessions at once' })
  @IsOptional()
  @IsIn(MEMBERSHIP_STATUSES)
  status?: MembershipStatus;
}

export class MembershipIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  membershipId: string;
}

export class SupervisionParams {
  @ApiProperty({ format: 'uuid', description: 'The counselor' })
  @IsUUID()
  membershipId: string;

  @ApiProperty({ format: 'uuid', description: 'The supervisor' })
  @IsUUID()
  supervisorMembershipId: string;
}

export class PasswordResetLinkResponse {
  @ApiProperty({ description: 'Single use, valid one hour. Hand it to the member in person; shown only here.' })
  link: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

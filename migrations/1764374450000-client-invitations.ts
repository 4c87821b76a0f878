import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A client's portal invitation: the client record remembers the invitation it
 * was sent (`clients.invitation_id`), and accepting that invitation links the
 * new client membership to the record in the same transaction (a trigger on
 * `invitations.accepted_membership_id`, so the identity library, which comes
 * before clients, needs to know nothing about clients). The link is made only
 * when the record has no portal user yet and the membership is not already
 * another client's.
 */
export class ClientInvitations1764374450000 implements MigrationInterface {
  name = 'ClientInvitations1764374450000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table clients add column invitation_id uuid;
      alter table clients add constraint clients_invitation_fkey foreign key (clinic_id, invitation_id)
        references invitations (clinic_id, id);
      create index clients_invitation_idx on clients (clinic_id, invitation_id) where invitation_id is not null;

      create function link_client_on_invitation_accept() returns trigger
        language plpgsql as $$
      begin
        update clients c
           set membership_id = new.accepted_membership_id, updated_at = now()
         where c.clinic_id = new.clinic_id
           and c.invitation_id = new.id
           and c.membership_id is null
           and not exists (select 1 from clients o
                            where o.clinic_id = new.clinic_id and o.membership_id = new.accepted_membership_id);
        return new;
      end $$;

      create trigger invitations_link_client
        after update of accepted_membership_id on invitations
        for each row
        when (new.accepted_membership_id is not null and old.accepted_membership_id is null
              and new.roles = array['client']::text[])
        execute function link_client_on_invitation_accept();
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      drop trigger invitations_link_client on invitations;
      drop function link_client_on_invitation_accept();
      drop index clients_invitation_idx;
      alter table clients drop constraint clients_invitation_fkey;
      alter table clients drop column invitation_id;
    `);
  }
}

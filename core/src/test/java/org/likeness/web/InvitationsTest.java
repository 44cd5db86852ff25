package org.likeness.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.account.Accounts;
import org.likeness.account.Principal;
import org.likeness.account.Role;
import org.likeness.registry.NotFoundException;
import org.likeness.registry.LogEntry;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Portal invitations on a real H2 registry: once, for the subject's own account, only the hash in the log. */
class InvitationsTest {
    @TempDir
    Path home;
    MasterKey key;
    Registry registry;

    @BeforeEach
    void open() throws Exception {
        RegistryLocation loc = RegistryLocation.resolve(null, Map.of("LIKENESS_HOME", home.toString()));
        key = MasterKey.create(loc.defaultKeyFile());
        Registry.init(loc, key, "test");
        registry = Registry.open(loc, key, "test");
        registry.accounts().addOrganisation("other", "Another holder");
        registry.addSubject("default", "ana", "Ana", "test-model", List.of(), List.of());
        registry.addSubject("other", "ben", "Ben", "test-model", List.of(), List.of());
    }

    @AfterEach
    void close() throws Exception {
        registry.close();
        key.close();
    }

    @Test
    void anInvitationOpensTheSubjectsOwnSessionOnceAndTheLogHoldsOnlyTheTokensHash() {
        Invitations inv = new Invitations(registry);
        Invitations.Invitation i = inv.create("account:holder", "default", "ana");
        assertThat(i.path()).isEqualTo("/invite/" + i.token());
        Invitations.Accepted a = inv.accept(i.token());
        assertThat(a.subject()).isEqualTo("ana");
        Principal p = new Accounts(registry).session(a.sessionToken());
        assertThat(p.role()).isEqualTo(Role.SUBJECT);
        assertThat(p.subjectId()).isEqualTo("ana");
        assertThat(p.organisation()).isEqualTo("default");

        assertThatThrownBy(() -> inv.accept(i.token())).isInstanceOf(Invitations.InvalidInvitation.class);
        // a second invitation reuses the same portal account
        Invitations.Invitation again = inv.create("account:holder", "default", "ana");
        assertThat(again.account()).isEqualTo(i.account());
        assertThat(inv.accept(again.token()).account()).isEqualTo(a.account());

        List<LogEntry> log = registry.log(1, 1000);
        assertThat(log).extracting(LogEntry::action).contains("invitation.created", "invitation.accepted");
        assertThat(log).allSatisfy(e -> assertThat(e.payload()).doesNotContain(i.token()).doesNotContain(a.sessionToken()));
        assertThat(registry.verify().intact()).isTrue();
    }

    @Test
    void unknownTokensAndOtherOrganisationsSubjectsAreRefused() {
        Invitations inv = new Invitations(registry);
        assertThatThrownBy(() -> inv.accept("no-such-token")).isInstanceOf(Invitations.InvalidInvitation.class);
        assertThatThrownBy(() -> inv.accept(null)).isInstanceOf(Invitations.InvalidInvitation.class);
        assertThatThrownBy(() -> inv.accept("x".repeat(200))).isInstanceOf(Invitations.InvalidInvitation.class);
        // ben belongs to another organisation: to the default organisation's staff he does not exist
        assertThatThrownBy(() -> inv.create("account:holder", "default", "ben")).isInstanceOf(NotFoundException.class)
                .hasMessage("subject 'ben' does not exist");
        assertThatThrownBy(() -> inv.create("account:holder", "default", "nobody")).isInstanceOf(NotFoundException.class)
                .hasMessage("subject 'nobody' does not exist");
    }
}

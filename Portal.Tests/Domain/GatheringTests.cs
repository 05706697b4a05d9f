using CsCheck;
using Portal.Domain.Common;
using Portal.Domain.Community;

namespace Portal.Tests.Domain;

/// <summary>The rules of groups and events: seats, the waiting list, reminders, who hears of what.</summary>
public class GatheringTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static EventDetails Details(int? capacity = 2, DateTimeOffset? starts = null) =>
        new("Atelier cuisine", "", starts ?? Now.AddDays(3), (starts ?? Now.AddDays(3)).AddHours(2), "Lyon 7e", null, capacity);

    private static CommunityEvent Workshop(int? capacity = 2) => new(EventHost.Group, 1, Details(capacity), "host", Now);

    [Fact]
    public void Seats_go_in_order_then_the_waiting_list_and_a_cancelled_seat_goes_to_the_first_in_line()
    {
        var e = Workshop(capacity: 2);
        Assert.Equal(RegistrationStatus.Confirmed, e.Register("ana", Now).Status);
        Assert.Equal(RegistrationStatus.Confirmed, e.Register("ben", Now.AddMinutes(1)).Status);
        Assert.Equal(RegistrationStatus.Waiting, e.Register("chloe", Now.AddMinutes(2)).Status);
        Assert.Equal(RegistrationStatus.Waiting, e.Register("dan", Now.AddMinutes(3)).Status);
        Assert.True(e.IsFull);
        Assert.Equal(1, e.WaitingPosition("chloe"));
        Assert.Equal(2, e.WaitingPosition("dan"));
        Assert.Null(e.WaitingPosition("ana"));

        var promoted = e.Cancel("ana", Now.AddMinutes(4));

        Assert.Equal("chloe", promoted?.UserId);
        Assert.Equal(RegistrationStatus.Confirmed, promoted!.Status);
        Assert.Equal(2, e.ConfirmedCount);
        Assert.Equal(1, e.WaitingPosition("dan"));
    }

    [Fact]
    public void Asking_twice_changes_nothing_and_coming_back_after_cancelling_goes_to_the_end_of_the_line()
    {
        var e = Workshop(capacity: 1);
        var first = e.Register("ana", Now);
        Assert.Same(first, e.Register("ana", Now.AddMinutes(1)));
        Assert.Equal(1, e.ConfirmedCount);
        e.Register("ben", Now.AddMinutes(2));
        e.Register("chloe", Now.AddMinutes(3));
        Assert.Null(e.Cancel("ben", Now.AddMinutes(4))); // a place in line frees no seat
        e.Register("ben", Now.AddMinutes(5));
        Assert.Equal(1, e.WaitingPosition("chloe"));
        Assert.Equal(2, e.WaitingPosition("ben"));
    }

    [Fact]
    public void More_seats_promote_those_waiting_and_fewer_than_the_confirmed_are_refused()
    {
        var e = Workshop(capacity: 1);
        e.Register("ana", Now);
        e.Register("ben", Now.AddMinutes(1));
        e.Register("chloe", Now.AddMinutes(2));
        e.Edit(Details(capacity: 2), Now.AddMinutes(3));
        Assert.Equal(2, e.ConfirmedCount);
        Assert.Equal(1, e.WaitingPosition("chloe"));
        Assert.Equal(1, e.Revision);
        var refused = Assert.Throws<DomainException>(() => e.Edit(Details(capacity: 1), Now.AddMinutes(4)));
        Assert.Equal("event.capacity_below_confirmed", refused.Code);
        e.Edit(Details(capacity: null), Now.AddMinutes(5));
        Assert.Null(e.WaitingPosition("chloe"));
        Assert.Equal(3, e.ConfirmedCount);
    }

    [Fact]
    public void A_started_or_called_off_event_takes_no_registration_and_a_call_off_names_everyone_registered()
    {
        var e = Workshop(capacity: 1);
        e.Register("ana", Now);
        e.Register("ben", Now);
        Assert.Equal("event.started", Assert.Throws<DomainException>(() => e.Register("chloe", Now.AddDays(3))).Code);
        Assert.Equal(["ana", "ben"], e.CallOff(Now.AddHours(1)).Order());
        Assert.Equal("event.cancelled", Assert.Throws<DomainException>(() => e.Register("chloe", Now.AddHours(2))).Code);
        Assert.Equal("event.cancelled", Assert.Throws<DomainException>(() => e.Cancel("ana", Now.AddHours(2))).Code);
        Assert.Equal(1, e.Revision);
    }

    [Theory]
    [InlineData(null, null, "event.where")]
    [InlineData(null, "http://visio.example/atelier", "event.url")]
    [InlineData(null, "javascript:alert(1)", "event.url")]
    [InlineData("Lyon", null, "event.capacity", 0)]
    [InlineData("Lyon", null, "event.capacity", 10_001)]
    public void Details_without_a_place_with_a_link_that_is_not_https_or_with_impossible_seats_are_refused(string? place, string? url, string code, int? seats = 5)
    {
        var d = new EventDetails("Atelier", "", Now.AddDays(1), Now.AddDays(1).AddHours(1), place, url, seats);
        Assert.Equal(code, Assert.Throws<DomainException>(() => new CommunityEvent(EventHost.Project, 1, d, "host", Now)).Code);
    }

    [Fact]
    public void An_event_starts_in_the_future_ends_after_it_starts_and_lasts_at_most_a_week()
    {
        Assert.Equal("event.in_past", Assert.Throws<DomainException>(() => new CommunityEvent(EventHost.Group, 1, Details(starts: Now), "h", Now)).Code);
        var backwards = Details() with { EndsAt = Now.AddDays(3).AddMinutes(-1) };
        Assert.Equal("event.ends_before", Assert.Throws<DomainException>(() => new CommunityEvent(EventHost.Group, 1, backwards, "h", Now)).Code);
        var long_ = Details() with { EndsAt = Now.AddDays(11) };
        Assert.Equal("event.too_long", Assert.Throws<DomainException>(() => new CommunityEvent(EventHost.Group, 1, long_, "h", Now)).Code);
    }

    [Fact]
    public void The_reminder_is_due_a_day_before_names_the_confirmed_only_and_comes_once()
    {
        var e = Workshop(capacity: 1);
        e.Register("ana", Now);
        e.Register("ben", Now);
        Assert.Empty(e.TakeReminder(Now.AddDays(1))); // two days before: not yet
        Assert.Equal(["ana"], e.TakeReminder(Now.AddDays(2).AddHours(1)));
        Assert.Empty(e.TakeReminder(Now.AddDays(2).AddHours(2)));
    }

    [Fact]
    public void Whatever_the_sequence_of_registrations_and_cancellations_seats_are_never_oversold_and_no_one_waits_beside_a_free_seat()
    {
        var operation = Gen.Select(Gen.Int[0, 7], Gen.Bool);
        Gen.Select(Gen.Int[1, 4], operation.List[0, 40]).Sample((capacity, operations) =>
        {
            var e = Workshop(capacity);
            var at = Now;
            foreach (var (person, register) in operations)
            {
                at = at.AddSeconds(1);
                var user = $"p{person}";
                if (register) e.Register(user, at);
                else if (e.Registrations.Any(r => r.UserId == user && r.IsActive)) e.Cancel(user, at);
            }
            var confirmed = e.Registrations.Count(r => r.Status == RegistrationStatus.Confirmed);
            var waiting = e.Registrations.Count(r => r.Status == RegistrationStatus.Waiting);
            return confirmed == e.ConfirmedCount && confirmed <= capacity && (waiting == 0 || confirmed == capacity)
                && e.Registrations.Select(r => r.UserId).Distinct().Count() == e.Registrations.Count;
        });
    }

    [Fact]
    public void An_open_group_takes_members_at_once_and_a_group_by_approval_waits_for_a_manager()
    {
        var open = new CommunityGroup("Bénévoles de compétences", "Des heures pour l’ESS", "", GroupJoinPolicy.Open, "staff", Now);
        var closed = new CommunityGroup("Croix-Rousse solidaire", "Le plateau", "", GroupJoinPolicy.Approval, "staff", Now);
        Assert.Equal("benevoles-de-competences", open.Slug);
        Assert.True(open.Join("ana", null, Now).IsMember);
        var request = closed.Join("ana", null, Now);
        Assert.Equal(MembershipStatus.Pending, request.Status);
        Assert.Same(request, closed.Join("ana", request, Now));
        request.Approve();
        Assert.True(request.IsMember);
        Assert.Equal("group.already_member", Assert.Throws<DomainException>(request.Approve).Code);
        Assert.True(closed.FounderMembership(Now).IsManager);
        Assert.Equal("name.no_letters", Assert.Throws<DomainException>(() => new CommunityGroup("!!!", "x", "", GroupJoinPolicy.Open, "s", Now)).Code);
    }

    [Theory]
    [InlineData(GroupNotifications.Everything, true, true)]
    [InlineData(GroupNotifications.EventsOnly, false, true)]
    [InlineData(GroupNotifications.Nothing, false, false)]
    public void A_member_hears_of_posts_and_events_as_they_chose(GroupNotifications choice, bool hearsPosts, bool hearsEvents)
    {
        var member = new CommunityGroup("Groupe", "Résumé", "", GroupJoinPolicy.Open, "staff", Now).Join("ana", null, Now);
        member.Choose(choice);
        Assert.Equal(hearsPosts, member.Hears(isEvent: false));
        Assert.Equal(hearsEvents, member.Hears(isEvent: true));
        var pending = new CommunityGroup("Groupe", "Résumé", "", GroupJoinPolicy.Approval, "staff", Now).Join("ben", null, Now);
        Assert.False(pending.Hears(isEvent: true));
    }
}

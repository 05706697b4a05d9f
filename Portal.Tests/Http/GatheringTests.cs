using System.Net;
using CsCheck;
using FluentValidation;
using Ical.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Identity;
using Portal.Domain.Common;
using Portal.Domain.Community;
using Portal.Tests.Support;
using Portal.Web.Components.Shared;
using Portal.Web.Features;
using Portal.Web.Features.Gatherings;

namespace Portal.Tests.Http;

/// <summary>Groups and events through the services the pages call, on the real database, and their iCalendar files.</summary>
public class GatheringTests(EmptyPortalFactory app) : IClassFixture<EmptyPortalFactory>
{
    private GroupService Groups => app.Get<GroupService>();
    private EventService Events => app.Get<EventService>();

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    private Task<Actor> PersonAsync(string role = Roles.Contributor) => TestWorld.UserAsync(app, $"{role[..3].ToLowerInvariant()}-{Tag()}@t.fr", role);

    private async Task<(Actor Staff, CommunityGroup Group)> GroupAsync(GroupJoinPolicy policy = GroupJoinPolicy.Open)
    {
        var staff = await PersonAsync(Roles.Admin);
        return (staff, await Groups.CreateAsync(staff, new CreateGroup { Name = $"Groupe {Tag()}", Summary = "Des voisins", Policy = policy }));
    }

    /// <summary>An event of the group, a few days ahead (or <paramref name="inHours"/> ahead), in Paris time as the form sends it.</summary>
    private Task<CommunityEvent> EventAsync(Actor host, int groupId, string capacity = "", double inHours = 72)
    {
        var starts = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(inHours), Format.Paris);
        return Events.CreateAsync(host, new EventInput
        {
            Host = EventHost.Group, HostId = groupId, Title = $"Atelier {Tag()}", Day = starts.ToString("yyyy-MM-dd"),
            Starts = starts.ToString("HH:mm"), Ends = starts.AddHours(2).ToString("HH:mm"), Place = "Maison des associations, Lyon 4e", Capacity = capacity,
        });
    }

    private async Task<List<Notification>> NotificationsAsync(string userId, NotificationKind kind)
    {
        await using var db = app.CreateDbContext();
        return await db.Notifications.Where(n => n.UserId == userId && n.Kind == kind).ToListAsync();
    }

    [Fact]
    public async Task A_request_to_join_reaches_the_managers_at_once_and_only_a_manager_approves_it()
    {
        var (staff, group) = await GroupAsync(GroupJoinPolicy.Approval);
        var ana = await PersonAsync();
        var ben = await PersonAsync();
        Assert.Equal(MembershipStatus.Pending, await Groups.JoinAsync(ana, group.Id));
        Assert.Single(await NotificationsAsync(staff.UserId, NotificationKind.GroupJoinRequest));
        await Groups.JoinAsync(ben, group.Id);
        await Groups.ApproveAsync(staff, group.Id, ben.UserId); // ben is a member now, not a manager

        await Assert.ThrowsAsync<ForbiddenException>(() => Groups.ApproveAsync(ben, group.Id, ana.UserId));
        await Assert.ThrowsAsync<ForbiddenException>(() => Groups.PostAsync(ana, new PostInGroup { GroupId = group.Id, Markdown = "Bonjour" }));
        await Groups.ApproveAsync(staff, group.Id, ana.UserId);
        Assert.Single(await NotificationsAsync(ana.UserId, NotificationKind.GroupJoinApproved));
        await Groups.PostAsync(ana, new PostInGroup { GroupId = group.Id, Markdown = "Bonjour à tous" });
    }

    [Fact]
    public async Task A_post_reaches_members_as_each_chose_and_followers_and_its_markdown_is_sanitised_on_the_page()
    {
        var (staff, group) = await GroupAsync();
        var (all, eventsOnly, nothing, follower) = (await PersonAsync(), await PersonAsync(), await PersonAsync(), await PersonAsync());
        foreach (var member in new[] { all, eventsOnly, nothing }) await Groups.JoinAsync(member, group.Id);
        await Groups.ChooseNotificationsAsync(eventsOnly, group.Id, GroupNotifications.EventsOnly);
        await Groups.ChooseNotificationsAsync(nothing, group.Id, GroupNotifications.Nothing);
        await app.Get<Portal.Web.Features.Community.CommunityService>().ToggleFollowAsync(follower, FollowKind.Group, group.Id);

        await Groups.PostAsync(all, new PostInGroup { GroupId = group.Id, Markdown = "**Atelier** samedi <script>alert(1)</script> [lien](javascript:alert(2))" });

        Assert.Empty(await NotificationsAsync(all.UserId, NotificationKind.GroupPost)); // not told of their own post
        Assert.Single(await NotificationsAsync(staff.UserId, NotificationKind.GroupPost));
        Assert.Single(await NotificationsAsync(follower.UserId, NotificationKind.GroupPost));
        Assert.Empty(await NotificationsAsync(eventsOnly.UserId, NotificationKind.GroupPost));
        Assert.Empty(await NotificationsAsync(nothing.UserId, NotificationKind.GroupPost));

        await EventAsync(staff, group.Id);
        Assert.Single(await NotificationsAsync(eventsOnly.UserId, NotificationKind.GroupEvent));
        Assert.Empty(await NotificationsAsync(nothing.UserId, NotificationKind.GroupEvent));

        var page = await app.CreateHttpClient().GetStringAsync($"/groupes/{group.Slug}");
        Assert.Contains("<strong>Atelier</strong>", page);
        Assert.DoesNotContain("alert(1)", page);
        Assert.DoesNotContain("javascript:", page);
    }

    [Fact]
    public async Task Ten_people_taking_three_seats_at_once_give_three_seats_and_seven_places_in_line()
    {
        var (staff, group) = await GroupAsync();
        var created = await EventAsync(staff, group.Id, capacity: "3");
        var people = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => PersonAsync()));

        var statuses = await Task.WhenAll(people.Select(p => Task.Run(() => Events.RegisterAsync(p, created.Id))));

        Assert.Equal(3, statuses.Count(r => r.Status == RegistrationStatus.Confirmed));
        await using var db = app.CreateDbContext();
        var stored = await db.Events.SingleAsync(e => e.Id == created.Id);
        Assert.Equal(3, stored.ConfirmedCount);
        Assert.Equal(3, stored.Registrations.Count(r => r.Status == RegistrationStatus.Confirmed));
        Assert.Equal(7, stored.Registrations.Count(r => r.Status == RegistrationStatus.Waiting));
    }

    [Fact]
    public async Task A_cancelled_seat_goes_to_the_first_in_line_who_is_told_and_a_call_off_tells_everyone()
    {
        var (staff, group) = await GroupAsync();
        var created = await EventAsync(staff, group.Id, capacity: "1");
        var (ana, ben, chloe) = (await PersonAsync(), await PersonAsync(), await PersonAsync());
        await Events.RegisterAsync(ana, created.Id);
        Assert.Equal(RegistrationStatus.Waiting, (await Events.RegisterAsync(ben, created.Id)).Status);
        await Events.RegisterAsync(chloe, created.Id);

        await Events.CancelAsync(ana, created.Id);

        Assert.Single(await NotificationsAsync(ben.UserId, NotificationKind.EventSeat));
        Assert.Empty(await NotificationsAsync(chloe.UserId, NotificationKind.EventSeat));
        var mine = await app.Get<GatheringQueries>().MineAsync(ben, created.Id);
        Assert.Equal(RegistrationStatus.Confirmed, mine.Status);
        await Assert.ThrowsAsync<ForbiddenException>(() => Events.CallOffAsync(ben, created.Id));
        await Events.CallOffAsync(staff, created.Id);
        Assert.Single(await NotificationsAsync(ben.UserId, NotificationKind.EventCalledOff));
        Assert.Single(await NotificationsAsync(chloe.UserId, NotificationKind.EventCalledOff));
        Assert.Equal("event.cancelled", (await Assert.ThrowsAsync<DomainException>(() => Events.RegisterAsync(ana, created.Id))).Code);
    }

    [Fact]
    public async Task Reminders_go_to_the_confirmed_of_events_starting_within_a_day_once()
    {
        var (staff, group) = await GroupAsync();
        var soon = await EventAsync(staff, group.Id, capacity: "1", inHours: 3);
        var later = await EventAsync(staff, group.Id, inHours: 72);
        var (ana, ben) = (await PersonAsync(), await PersonAsync());
        await Events.RegisterAsync(ana, soon.Id);
        await Events.RegisterAsync(ben, soon.Id); // waiting
        await Events.RegisterAsync(ben, later.Id);

        await Events.RemindAsync();
        await Events.RemindAsync();

        Assert.Single(await NotificationsAsync(ana.UserId, NotificationKind.EventReminder));
        Assert.Empty(await NotificationsAsync(ben.UserId, NotificationKind.EventReminder));
    }

    [Fact]
    public async Task An_events_icalendar_file_is_read_back_by_ical_net_with_its_instants_uid_place_and_status()
    {
        var (staff, group) = await GroupAsync();
        var created = await EventAsync(staff, group.Id, capacity: "20");
        var client = app.CreateHttpClient();

        using var response = await client.GetAsync($"/calendrier/evenements/{created.Id}.ics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        AssertRfc5545Lines(text);
        var calendar = Calendar.Load(text)!;
        var e = Assert.Single(calendar.Events);
        Assert.Equal(created.Title, e.Summary);
        Assert.Equal(created.StartsAt.UtcDateTime, e.Start!.AsUtc);
        Assert.Equal(created.EndsAt.UtcDateTime, e.End!.AsUtc);
        Assert.Equal("Maison des associations, Lyon 4e", e.Location);
        Assert.Equal("CONFIRMED", e.Status);
        Assert.Equal(0, e.Sequence);
        Assert.EndsWith($"/evenements/{created.Id}", e.Url!.ToString());

        await Events.CallOffAsync(staff, created.Id);
        var again = Assert.Single(Calendar.Load(await client.GetStringAsync($"/calendrier/evenements/{created.Id}.ics"))!.Events);
        Assert.Equal(e.Uid, again.Uid); // the same event for the calendar app, updated
        Assert.Equal("CANCELLED", again.Status);
        Assert.Equal(1, again.Sequence);
    }

    [Fact]
    public async Task Group_and_personal_feeds_list_their_events_and_a_forged_feed_link_finds_nothing()
    {
        var (staff, group) = await GroupAsync();
        var (_, other) = await GroupAsync();
        var first = await EventAsync(staff, group.Id, capacity: "1");
        var second = await EventAsync(staff, group.Id, inHours: 96);
        var elsewhere = await EventAsync(staff, other.Id);
        var ana = await PersonAsync();
        var ben = await PersonAsync();
        await Events.RegisterAsync(ben, first.Id);
        await Events.RegisterAsync(ana, first.Id); // waiting
        await Events.RegisterAsync(ana, elsewhere.Id);
        var client = app.CreateHttpClient();

        var feed = Calendar.Load(await client.GetStringAsync($"/calendrier/groupes/{group.Slug}.ics"))!;
        Assert.Equal(new[] { first.Title, second.Title }.Order(), feed.Events.Select(e => e.Summary).Order());

        var token = app.Get<Calendars>().PersonalToken(ana.UserId);
        var text = await client.GetStringAsync($"/calendrier/personnes/{token}.ics");
        AssertRfc5545Lines(text);
        var mine = Calendar.Load(text)!.Events.ToDictionary(e => e.Summary!, e => e.Status);
        Assert.Equal(new Dictionary<string, string?> { [first.Title] = "TENTATIVE", [elsewhere.Title] = "CONFIRMED" }, mine);

        var forged = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        foreach (var path in new[] { $"/calendrier/personnes/{forged}.ics", "/calendrier/personnes/x.ics", "/calendrier/groupes/nulle-part.ics", "/calendrier/evenements/999999.ics" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Each_field_of_the_event_form_is_read_exactly_or_refused_with_a_message_and_nothing_written()
    {
        var (_, group) = await GroupAsync();
        static Gen<(string Text, bool Valid)> Field(string[] valid, Gen<string> garbage) =>
            Gen.Frequency((1, Gen.OneOf(valid).Select(v => (v, true))), (1, garbage.Select(g => (g, false))));
        var day = Field([DateTime.Today.AddDays(20).ToString("yyyy-MM-dd")],
            Gen.OneOf(Gen.String, Gen.OneOf("", "2026-02-30", "30/12/2026", "2026-12-1", " 2026-12-10", "2026-12-10T19:00")));
        var time = Field(["19:00", "08:30", "23:59"], Gen.OneOf(Gen.String, Gen.OneOf("", " 19:00", "25:00", "19h", "7:00 PM", "19:60", "1900")));
        var seats = Field(["", "1", "12", "10000"], Gen.OneOf(Gen.String.Where(t => t.Any(c => !char.IsAsciiDigit(c))),
            Gen.OneOf("0", "-1", "10001", "99999999999999999999", "12.5", "1e3", " 12", "٣")));
        var (created, refused) = (0, 0);
        await Gen.Select(day, time, time, seats).SampleAsync(async (d, from, to, capacity) =>
        {
            var valid = d.Valid && from.Valid && to.Valid && capacity.Valid;
            // A host of their own for each valid case: the daily limit on events is not what this test is about.
            var host = valid ? await PersonAsync(Roles.Admin) : _staffForGarbage ??= await PersonAsync(Roles.Admin);
            var input = new EventInput
            {
                Host = EventHost.Group, HostId = group.Id, Title = "Atelier", Day = d.Text, Starts = from.Text, Ends = to.Text, Place = "Lyon", Capacity = capacity.Text,
            };
            try
            {
                await Events.CreateAsync(host, input);
                Assert.True(valid, $"accepted {d.Text}|{from.Text}|{to.Text}|{capacity.Text}");
                created++;
            }
            catch (ValidationException e) when (!valid)
            {
                Assert.Contains(e.Errors, x => x.ErrorMessage.Length > 0);
                refused++;
            }
        }, iter: 200, threads: 1);
        await using var db = app.CreateDbContext();
        Assert.True(created > 0 && refused > 0, $"{created} created, {refused} refused: the generator must reach both");
        Assert.Equal(created, await db.Events.CountAsync(e => e.Host == EventHost.Group && e.HostId == group.Id));
    }

    private Actor? _staffForGarbage;

    [Fact]
    public async Task Hostile_calendar_and_page_addresses_get_a_404_never_a_5xx()
    {
        var client = app.CreateHttpClient();
        var segment = Gen.String[1, 80].Select(Uri.EscapeDataString);
        await segment.SampleAsync(async s =>
        {
            foreach (var path in new[] { $"/calendrier/personnes/{s}.ics", $"/calendrier/groupes/{s}.ics", $"/calendrier/projets/{s}.ics", $"/groupes/{s}", $"/evenements/{s}" })
            {
                using var response = await client.GetAsync(path);
                Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode}");
            }
        }, iter: 60);
    }

    /// <summary>RFC 5545, section 3.1: lines end with CRLF and a content line is folded at 75 octets.</summary>
    private static void AssertRfc5545Lines(string text)
    {
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", text);
        Assert.Contains("\r\nVERSION:2.0\r\n", text);
        Assert.Contains("\r\nPRODID:", text);
        Assert.EndsWith("END:VCALENDAR\r\n", text);
        foreach (var line in text.Split("\r\n"))
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, $"line longer than 75 octets: {line}");
        Assert.DoesNotContain("\n", text.Replace("\r\n", ""));
    }
}

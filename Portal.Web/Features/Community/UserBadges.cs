using Portal.Web.Features.Live;

namespace Portal.Web.Features.Community;

/// <summary>Tells a user's open circuits that their notifications changed, so the bell's badge updates without a reload.</summary>
public sealed class UserBadges
{
    private readonly Subscribers<string> _byUser = new();

    public IDisposable Subscribe(string userId, Func<Task> changed) => _byUser.Add(userId, changed);

    public Task NotifyAsync(string userId) => _byUser.NotifyAsync(userId);
}

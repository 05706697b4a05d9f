using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Common;

namespace Portal.Web.Features;

/// <summary>
/// Who is acting, read from the database at the moment of the action rather than trusted from the UI: every
/// mutation asks the actor, because a Blazor event handler is a public endpoint.
/// </summary>
public sealed record Actor(string UserId, IReadOnlySet<string> Roles, IReadOnlyList<int> EstablishmentIds, int? ProjectId, int? BeneficiaryId)
{
    public bool IsAdmin => Roles.Contains(Data.Identity.Roles.Admin);
    public bool IsMerchant => Roles.Contains(Data.Identity.Roles.Merchant);

    public bool MayLogFor(int establishmentId) => IsAdmin || (IsMerchant && EstablishmentIds.Contains(establishmentId));

    public void RequireAdmin()
    {
        if (!IsAdmin) throw new ForbiddenException("Only association staff may do this.");
    }
}

/// <summary>The actor is known but not allowed to do this.</summary>
public sealed class ForbiddenException(string message) : Exception(message);

public sealed class ActorResolver(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Actor> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new ForbiddenException("Sign in first.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new
            {
                u.ProjectId,
                u.BeneficiaryId,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                // An archived place takes no new entry: its merchants no longer speak for it.
                Establishments = db.EstablishmentMembers.Where(m => m.UserId == u.Id)
                    .Join(db.Establishments.Where(e => e.ArchivedAt == null), m => m.EstablishmentId, e => e.Id, (m, _) => m.EstablishmentId).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new ForbiddenException("This account no longer exists.");
        return new Actor(userId, user.Roles.ToHashSet(), user.Establishments, user.ProjectId, user.BeneficiaryId);
    }
}

public static class ErrorText
{
    /// <summary>The message to show for a refused action, in the visitor's language when a translation exists.</summary>
    public static string Explain(this IStringLocalizer<SharedResource> L, Exception e) => e switch
    {
        DomainException d when L[$"Err.{d.Code}"] is { ResourceNotFound: false } t => t.Value,
        DomainException d => d.Message,
        ForbiddenException => L["Err.forbidden"],
        FluentValidation.ValidationException v => string.Join(" ", v.Errors.Select(x => x.ErrorMessage)),
        DbUpdateConcurrencyException => L["Err.concurrency"],
        _ => L["Err.unexpected"],
    };
}

using System.Text;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Portal.Data;
using Portal.Data.Identity;
using Portal.Domain.Common;
using Portal.Web.Features.Mail;

namespace Portal.Web.Features.Admin;

public sealed class InviteInput
{
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Role { get; set; } = Roles.Merchant;
    /// <summary>The establishment, project or structure the account speaks for (merchants, entrepreneurs, structures).</summary>
    public int? TieId { get; set; }

    public static CatalogKind? TieKind(string role) => role switch
    {
        Roles.Merchant => CatalogKind.Establishment,
        Roles.Entrepreneur => CatalogKind.Project,
        Roles.Beneficiary => CatalogKind.Structure,
        _ => null,
    };
}

public sealed class InviteInputValidator : AbstractValidator<InviteInput>
{
    public InviteInputValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage(_ => L["Val.EmailRequired"]).EmailAddress().WithMessage(_ => L["Val.EmailInvalid"]).MaximumLength(256);
        RuleFor(x => x.DisplayName).MaximumLength(100).WithMessage(_ => L["Val.NameTooLong"]);
        RuleFor(x => x.Role).Must(r => Roles.All.Contains(r)).WithMessage(_ => L["Val.RoleUnknown"]);
        RuleFor(x => x.TieId).NotNull().When(x => InviteInput.TieKind(x.Role) is not null).WithMessage(_ => L["Val.TieRequired"]);
    }
}

/// <summary>An account as staff see it: its roles, what it speaks for, whether it has set its password yet.</summary>
public sealed record AccountRow(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Ties, bool Invited);

/// <summary>Staff invite merchants, entrepreneurs and structures, and take roles back; every action checked here, on the server.</summary>
public sealed class Accounts(IDbContextFactory<PortalDbContext> dbFactory, IServiceScopeFactory scopes, IValidator<InviteInput> validator,
    PortalMailer mailer, IStringLocalizer<SharedResource> L)
{
    public const int PageSize = 50;

    /// <summary>The accounts whose e-mail or name contains <paramref name="search"/>, at most one more than a page (to tell there are more).</summary>
    public async Task<IReadOnlyList<AccountRow>> ListAsync(Actor actor, string? search, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim();
            var upper = text.ToUpperInvariant();
            users = users.Where(u => u.NormalizedEmail!.Contains(upper) || u.DisplayName.Contains(text));
        }
        var rows = await users.OrderBy(u => u.NormalizedEmail).Take(PageSize + 1).Select(u => new
        {
            u.Id, u.Email, u.DisplayName, Invited = u.PasswordHash == null,
            Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            Project = db.Projects.Where(p => p.Id == u.ProjectId).Select(p => p.Name).FirstOrDefault(),
            Structure = db.Beneficiaries.Where(b => b.Id == u.BeneficiaryId).Select(b => b.Name).FirstOrDefault(),
            Places = db.EstablishmentMembers.Where(m => m.UserId == u.Id).Join(db.Establishments, m => m.EstablishmentId, e => e.Id, (_, e) => e.Name).ToList(),
        }).ToListAsync(ct);
        return [.. rows.Select(r => new AccountRow(r.Id, r.Email ?? "", r.DisplayName, [.. r.Roles.Order()],
            [.. r.Places.Order(), .. new[] { r.Project, r.Structure }.OfType<string>()], r.Invited))];
    }

    /// <summary>
    /// Gives the address a role, tied to its place, project or structure, creating the account when there is none. An
    /// account that has no password yet receives a link to set one; inviting again is harmless and sends a new link.
    /// </summary>
    public async Task InviteAsync(Actor actor, InviteInput input, Uri portal, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await validator.ValidateAndThrowAsync(input, ct);
        var email = input.Email.Trim();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            if (InviteInput.TieKind(input.Role) is { } kind) await Catalog.OpenAsync(db, kind, input.TieId!.Value, ct);

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Staff typed the address and the link proves the mailbox: the account is confirmed once its password is set.
            user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = Or(input.DisplayName.Trim(), email.Split('@')[0]) };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded) throw new DomainException("user.create", string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        await TieAsync(users, user, input.Role, input.TieId, ct);
        if (!await users.IsInRoleAsync(user, input.Role)) await users.AddToRoleAsync(user, input.Role);
        await users.UpdateSecurityStampAsync(user);

        var role = L[$"Role.{input.Role}"].Value;
        if (await users.HasPasswordAsync(user))
        {
            await mailer.QueueAsync(email, L["Mail.RoleSubject", role], IdentityEmailSender.Body(user, L["Mail.RoleBody", role], new Uri(portal, "Account/Login").AbsoluteUri), ct);
            return;
        }
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = QueryHelpers.AddQueryString(new Uri(portal, "Account/ResetPassword").AbsoluteUri, "code", code);
        await mailer.QueueAsync(email, L["Mail.InviteSubject"], IdentityEmailSender.Body(user, L["Mail.InviteBody", role], link), ct);
    }

    /// <summary>Takes a role back, with what it was tied to. Staff cannot take their own staff role (someone must stay).</summary>
    public async Task RemoveRoleAsync(Actor actor, string userId, string role, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        if (role == Roles.Admin && userId == actor.UserId) throw new DomainException("user.own_admin", "You cannot remove your own staff role.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new DomainException("user.not_found", "No account has this e-mail address.");
        if (!Roles.All.Contains(role) || !await users.IsInRoleAsync(user, role)) throw new DomainException("user.not_in_role", "The account does not have this role.");
        await users.RemoveFromRoleAsync(user, role);
        if (role == Roles.Entrepreneur) user.ProjectId = null;
        if (role == Roles.Beneficiary) user.BeneficiaryId = null;
        await users.UpdateAsync(user);
        if (role == Roles.Merchant)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.EstablishmentMembers.Where(m => m.UserId == user.Id).ExecuteDeleteAsync(ct);
        }
        // Its open pages lose the role at once: every action reads the roles from the database; the stamp ends its sessions' cookies.
        await users.UpdateSecurityStampAsync(user);
    }

    private async Task TieAsync(UserManager<PortalUser> users, PortalUser user, string role, int? tieId, CancellationToken ct)
    {
        if (role == Roles.Entrepreneur) user.ProjectId = tieId;
        if (role == Roles.Beneficiary) user.BeneficiaryId = tieId;
        await users.UpdateAsync(user);
        if (role != Roles.Merchant || tieId is not { } place) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.EstablishmentMembers.AnyAsync(m => m.UserId == user.Id && m.EstablishmentId == place, ct)) return;
        db.EstablishmentMembers.Add(new EstablishmentMember { UserId = user.Id, EstablishmentId = place });
        await db.SaveChangesAsync(ct);
    }

    private static string Or(string text, string fallback) => text.Length > 0 ? text : fallback;
}

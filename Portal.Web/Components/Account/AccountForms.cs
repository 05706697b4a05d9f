using FluentValidation;
using Microsoft.Extensions.Localization;

namespace Portal.Web.Components.Account;

public sealed class LoginInput
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public bool RememberMe { get; set; }
}

public sealed class RegisterInput
{
    public string DisplayName { get; set; } = "";
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string ConfirmPassword { get; set; } = "";
}

public sealed class ForgotPasswordInput
{
    public string Email { get; set; } = "";
}

public sealed class ResetPasswordInput
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string ConfirmPassword { get; set; } = "";
    public string Code { get; set; } = "";
}

// Messages are looked up when validation runs, so they follow the visitor's language.

public sealed class LoginInputValidator : AbstractValidator<LoginInput>
{
    public LoginInputValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage(_ => L["Val.EmailRequired"]).EmailAddress().WithMessage(_ => L["Val.EmailInvalid"]);
        RuleFor(x => x.Password).NotEmpty().WithMessage(_ => L["Val.PasswordRequired"]);
    }
}

public sealed class RegisterInputValidator : AbstractValidator<RegisterInput>
{
    public RegisterInputValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.DisplayName).NotEmpty().WithMessage(_ => L["Val.NameRequired"]).MaximumLength(100).WithMessage(_ => L["Val.NameTooLong"]);
        RuleFor(x => x.Email).NotEmpty().WithMessage(_ => L["Val.EmailRequired"]).EmailAddress().WithMessage(_ => L["Val.EmailInvalid"]).MaximumLength(256);
        RuleFor(x => x.Password).NotEmpty().WithMessage(_ => L["Val.PasswordRequired"])
            .Must(PasswordRule.IsStrong).WithMessage(_ => L["Val.PasswordRule"]).MaximumLength(100);
        RuleFor(x => x.ConfirmPassword).Equal(x => x.Password).WithMessage(_ => L["Val.PasswordsDiffer"]);
    }
}

public sealed class ForgotPasswordInputValidator : AbstractValidator<ForgotPasswordInput>
{
    public ForgotPasswordInputValidator(IStringLocalizer<SharedResource> L) =>
        RuleFor(x => x.Email).NotEmpty().WithMessage(_ => L["Val.EmailRequired"]).EmailAddress().WithMessage(_ => L["Val.EmailInvalid"]);
}

public sealed class ResetPasswordInputValidator : AbstractValidator<ResetPasswordInput>
{
    public ResetPasswordInputValidator(IStringLocalizer<SharedResource> L)
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage(_ => L["Val.EmailRequired"]).EmailAddress().WithMessage(_ => L["Val.EmailInvalid"]);
        RuleFor(x => x.Password).NotEmpty().WithMessage(_ => L["Val.PasswordRequired"])
            .Must(PasswordRule.IsStrong).WithMessage(_ => L["Val.PasswordRule"]).MaximumLength(100);
        RuleFor(x => x.ConfirmPassword).Equal(x => x.Password).WithMessage(_ => L["Val.PasswordsDiffer"]);
        RuleFor(x => x.Code).NotEmpty();
    }
}

/// <summary>
/// The CNIL's rule for sign-in by password alone (délibération 2022-100): at least 12 characters of the four kinds
/// (capitals, small letters, digits, others), or 14 of at least three kinds, or a passphrase of at least 7 words.
/// </summary>
public static class PasswordRule
{
    public static bool IsStrong(string? password)
    {
        if (string.IsNullOrEmpty(password)) return false;
        var kinds = (password.Any(char.IsUpper) ? 1 : 0) + (password.Any(char.IsLower) ? 1 : 0) + (password.Any(char.IsDigit) ? 1 : 0)
            + (password.Any(c => !char.IsLetterOrDigit(c) && !char.IsWhiteSpace(c)) ? 1 : 0);
        var words = password.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        return (password.Length >= 12 && kinds == 4) || (password.Length >= 14 && kinds >= 3) || words >= 7;
    }
}

/// <summary>The same rule for Identity itself, whatever path sets a password.</summary>
public sealed class CnilPasswordValidator(IStringLocalizer<SharedResource> L) : Microsoft.AspNetCore.Identity.IPasswordValidator<Portal.Data.Identity.PortalUser>
{
    public Task<Microsoft.AspNetCore.Identity.IdentityResult> ValidateAsync(Microsoft.AspNetCore.Identity.UserManager<Portal.Data.Identity.PortalUser> manager,
        Portal.Data.Identity.PortalUser user, string? password) =>
        Task.FromResult(PasswordRule.IsStrong(password)
            ? Microsoft.AspNetCore.Identity.IdentityResult.Success
            : Microsoft.AspNetCore.Identity.IdentityResult.Failed(new Microsoft.AspNetCore.Identity.IdentityError { Code = "PasswordRule", Description = L["Val.PasswordRule"] }));
}

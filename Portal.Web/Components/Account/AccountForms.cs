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
        RuleFor(x => x.Password).NotEmpty().WithMessage(_ => L["Val.PasswordRequired"]).MinimumLength(8).WithMessage(_ => L["Val.PasswordLength"]).MaximumLength(100);
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
        RuleFor(x => x.Password).NotEmpty().WithMessage(_ => L["Val.PasswordRequired"]).MinimumLength(8).WithMessage(_ => L["Val.PasswordLength"]).MaximumLength(100);
        RuleFor(x => x.ConfirmPassword).Equal(x => x.Password).WithMessage(_ => L["Val.PasswordsDiffer"]);
        RuleFor(x => x.Code).NotEmpty();
    }
}

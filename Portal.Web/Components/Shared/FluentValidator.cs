using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace Portal.Web.Components.Shared;

/// <summary>
/// Plugs the model's FluentValidation validator into an EditForm, so the plain forms rendered statically (sign-in,
/// sign-up) and the interactive ones show the same field errors as the API returns.
/// </summary>
public sealed class FluentValidator : ComponentBase, IDisposable
{
    private ValidationMessageStore? _messages;
    private EditContext? _subscribed;

    [CascadingParameter] private EditContext EditContext { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_subscribed, EditContext)) return;
        Unsubscribe();
        _subscribed = EditContext;
        _messages = new ValidationMessageStore(EditContext);
        EditContext.OnValidationRequested += ValidateModel;
        EditContext.OnFieldChanged += ValidateField;
    }

    private IValidator Validator =>
        (IValidator)Services.GetRequiredService(typeof(IValidator<>).MakeGenericType(EditContext.Model.GetType()));

    private void ValidateModel(object? sender, ValidationRequestedEventArgs e)
    {
        _messages!.Clear();
        var result = Validator.Validate(new ValidationContext<object>(EditContext.Model));
        foreach (var error in result.Errors)
            _messages.Add(EditContext.Field(error.PropertyName), error.ErrorMessage);
        EditContext.NotifyValidationStateChanged();
    }

    private void ValidateField(object? sender, FieldChangedEventArgs e)
    {
        var field = e.FieldIdentifier;
        _messages!.Clear(field);
        var context = new ValidationContext<object>(EditContext.Model, new FluentValidation.Internal.PropertyChain(),
            new FluentValidation.Internal.MemberNameValidatorSelector([field.FieldName]));
        foreach (var error in Validator.Validate(context).Errors)
            _messages.Add(field, error.ErrorMessage);
        EditContext.NotifyValidationStateChanged();
    }

    private void Unsubscribe()
    {
        if (_subscribed is null) return;
        _subscribed.OnValidationRequested -= ValidateModel;
        _subscribed.OnFieldChanged -= ValidateField;
    }

    public void Dispose() => Unsubscribe();
}

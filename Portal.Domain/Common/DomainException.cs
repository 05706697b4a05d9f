namespace Portal.Domain.Common;

/// <summary>
/// A rule of the association was broken. <see cref="Code"/> is a stable key the UI translates;
/// the message is the English fallback for logs and API clients; <see cref="Field"/>, when one field alone is wrong,
/// names it as the API spells it ("amount").
/// </summary>
public sealed class DomainException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;
}

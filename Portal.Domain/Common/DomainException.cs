namespace Portal.Domain.Common;

/// <summary>
/// A rule of the association was broken. <see cref="Code"/> is a stable key the UI translates;
/// the message is the English fallback for logs and API clients.
/// </summary>
public sealed class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

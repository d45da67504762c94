namespace AuthPlatform.Application.Common.Security;

/// <summary>
/// A new password and what is known of its owner: <see cref="Email"/> and <see cref="Name"/> on
/// registration and for the bootstrap administrator; null on a password change, whose validator
/// reads no database (the caller's token carries neither).
/// </summary>
public sealed record PasswordCandidate(string Password, string? Email, string? Name);

/// <summary>
/// Decides whether a new password may be used, beyond the length rules (12 to 128 characters,
/// NIST SP 800-63B), which stay in the validators and always apply. Checked by the validators of
/// registration, password change and the bootstrap administrator, so a refusal is a
/// <c>validation_failed</c> on the password field and the handler never runs.
/// The default is <see cref="CommonPasswordPolicy"/>. A replacement is registered as a
/// <b>singleton</b> (validators are singletons) and may wrap the default to keep its check.
/// </summary>
public interface IPasswordPolicy
{
    /// <summary>The reasons the password is refused, each a message for the user; empty when it is accepted.</summary>
    ValueTask<IReadOnlyList<string>> CheckAsync(PasswordCandidate candidate, CancellationToken cancellationToken);
}

/// <summary>The default policy: refuse a password on the shipped list of common and breached passwords.</summary>
public sealed class CommonPasswordPolicy(ICommonPasswordList commonPasswords) : IPasswordPolicy
{
    public const string TooCommon = "This password is too common: it appears on a list of common or breached passwords. Choose another.";

    private static readonly IReadOnlyList<string> Accepted = [];
    private static readonly IReadOnlyList<string> Refused = [TooCommon];

    public ValueTask<IReadOnlyList<string>> CheckAsync(PasswordCandidate candidate, CancellationToken cancellationToken) =>
        ValueTask.FromResult(commonPasswords.Contains(candidate.Password) ? Refused : Accepted);
}

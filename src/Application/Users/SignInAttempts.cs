using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.Users;

/// <summary>An attempt claimed before its secret is evaluated; <see cref="AccountWide"/> is false for a known address past the account-wide budget.</summary>
public sealed record AttemptClaim(string Account, string Address, bool AccountWide);

/// <summary>
/// Every check of a password or a code goes through here (RL-01, ADR 0012): an attempt is
/// claimed before the secret is evaluated, so no more wrong guesses are evaluated than the
/// budget allows however many arrive at once; a failure is counted (and may lock), a success
/// only ends its own attempt. An unknown e-mail address is throttled exactly like a known one.
/// </summary>
public sealed class SignInAttempts(
    IAttemptThrottle throttle,
    IRefreshTokenFamilyRepository sessions,
    IClientContext client,
    ISecretGenerator secrets,
    IDomainEvents domainEvents,
    IOptions<LockoutOptions> lockout,
    TimeProvider clock)
{
    /// <summary>
    /// Claims an attempt for the account with this e-mail address from the caller's address.
    /// A known address (one the user signed in from before) is not held to the account-wide
    /// budget, so strangers' guessing cannot keep the owner out.
    /// </summary>
    public async Task<Result<AttemptClaim>> ClaimAsync(string email, Guid? userId, CancellationToken cancellationToken)
    {
        var policy = lockout.Value.ToPolicy();
        var now = clock.GetUtcNow();
        var account = AccountKey(secrets, email);
        var address = ClientAddresses.ThrottleKey(client.IpAddress);
        if (!await throttle.TryClaimAsync(account, address, policy.MaxFailedAttempts, policy, now, cancellationToken))
        {
            return Error.AccountLocked;
        }

        if (await throttle.TryClaimAsync(account, IAttemptThrottle.AccountWide, policy.AccountMaxFailedAttempts, policy, now, cancellationToken))
        {
            return new AttemptClaim(account, address, AccountWide: true);
        }

        // Asked for unknown accounts too (no user can match), so both answer alike.
        if (await sessions.HasSignedInFromAsync(userId ?? Guid.Empty, client.IpAddress, cancellationToken))
        {
            return new AttemptClaim(account, address, AccountWide: false);
        }

        await throttle.ReleaseAsync(account, address, cancellationToken);
        return Error.AccountLocked;
    }

    /// <summary>The key of an account's attempt budgets: the SHA-256 of its normalised e-mail address, known account or not.</summary>
    public static string AccountKey(ISecretGenerator secrets, string email) => secrets.Hash(EmailAddress.NormalizeForLookup(email));

    /// <summary>The claim for an existing user's second factor or password check.</summary>
    public Task<Result<AttemptClaim>> ClaimAsync(User user, CancellationToken cancellationToken) =>
        ClaimAsync(user.Email.Value, user.Id, cancellationToken);

    /// <summary>
    /// Counts a wrong secret, reports it (on the user, or as an event of no account) and answers
    /// <paramref name="error"/> as a refusal that keeps the count; when this failure locked and
    /// <paramref name="whenLocked"/> is given, answers that instead.
    /// </summary>
    public async Task<Result> FailAsync(
        AttemptClaim claim, User? user, AttemptKind kind, string reason, Error error, CancellationToken cancellationToken, Error? whenLocked = null)
    {
        var policy = lockout.Value.ToPolicy();
        var now = clock.GetUtcNow();
        var lockedHere = await throttle.FailAsync(claim.Account, claim.Address, true, policy.MaxFailedAttempts, policy, now, cancellationToken);
        var lockedEverywhere = await throttle.FailAsync(
            claim.Account, IAttemptThrottle.AccountWide, claim.AccountWide, policy.AccountMaxFailedAttempts, policy, now, cancellationToken);
        var lockedUntil = lockedHere ?? lockedEverywhere;
        if (user is null)
        {
            domainEvents.Raise(new LoginFailed(null, reason));
        }
        else
        {
            user.RecordFailedAttempt(kind, reason, lockedUntil);
        }

        return Result.Refused(lockedUntil is not null && whenLocked is not null ? whenLocked : error);
    }

    /// <summary>Ends a claimed attempt whose secret was right.</summary>
    public async Task SucceedAsync(AttemptClaim claim, CancellationToken cancellationToken)
    {
        await throttle.ReleaseAsync(claim.Account, claim.Address, cancellationToken);
        if (claim.AccountWide)
        {
            await throttle.ReleaseAsync(claim.Account, IAttemptThrottle.AccountWide, cancellationToken);
        }
    }
}

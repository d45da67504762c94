using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Users;

/// <summary>The account's standing: the security stamp, disabling and enabling, its role, an administrator's unlock.</summary>
public sealed partial class User
{
    /// <summary>
    /// Disables the account and rotates the stamp, so that every token bound to it stops at once.
    /// The caller revokes the sessions and the API keys' cached copies. Disabling a disabled
    /// account changes nothing and raises nothing.
    /// </summary>
    public void Disable(Guid actorId, string newSecurityStamp, DateTimeOffset now)
    {
        var stamp = GuardedStamp(newSecurityStamp, now);
        if (IsDisabled)
        {
            return;
        }

        IsDisabled = true;
        RotateSecurityStamp(stamp, now);
        Raise(new UserDisabled(Id, actorId));
    }

    /// <summary>Enables a disabled account. What disabling ended (sessions, tokens) stays ended.</summary>
    public void Enable(Guid actorId)
    {
        if (!IsDisabled)
        {
            return;
        }

        IsDisabled = false;
        Raise(new UserEnabled(Id, actorId));
    }

    /// <summary>
    /// Gives the account another role and rotates the stamp, so that every access token carrying
    /// the old role's scopes stops at once; a refresh then grants what the session's scopes and the
    /// new role allow together (a demotion loses <c>admin</c>, a promotion needs a new login). The
    /// caller's key cache forgets the account's API keys, which are capped by the role when read.
    /// The same role again changes nothing and raises nothing.
    /// </summary>
    public void ChangeRole(UserRole role, Guid actorId, string newSecurityStamp, DateTimeOffset now)
    {
        if (!Enum.IsDefined(role))
        {
            throw new DomainException("A user's role is one of the known roles.");
        }

        var stamp = GuardedStamp(newSecurityStamp, now);
        if (Role == role)
        {
            return;
        }

        var previous = Role;
        Role = role;
        RotateSecurityStamp(stamp, now);
        Raise(new UserRoleChanged(Id, actorId, previous, role));
    }

    /// <summary>
    /// Reports an administrator's unlock. The failures and locks live in the attempt store (ADR
    /// 0012), which the caller clears; the account only records who lifted them.
    /// </summary>
    public void RecordUnlocked(Guid actorId) => Raise(new AccountUnlocked(Id, actorId));

    /// <summary>"Sign out everywhere": a new stamp ends every access token; the caller revokes every session.</summary>
    public void SignOutEverywhere(string newSecurityStamp, DateTimeOffset now)
    {
        RotateSecurityStamp(GuardedStamp(newSecurityStamp, now), now);
        Raise(new SignedOutEverywhere(Id));
    }

    private string GuardedStamp(string newSecurityStamp, DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        var stamp = Guard.NotBlank(newSecurityStamp, nameof(newSecurityStamp), 64);
        if (stamp == SecurityStamp)
        {
            throw new DomainException("A new security stamp must differ from the current one.");
        }

        return stamp;
    }

    /// <summary>Only ever called with a stamp that <see cref="GuardedStamp"/> accepted.</summary>
    private void RotateSecurityStamp(string stamp, DateTimeOffset now)
    {
        SecurityStamp = stamp;
        SecurityStampChangedAt = now;
        Raise(new SecurityStampRotated(Id, SecurityStamps.Fingerprint(stamp), now));
    }
}

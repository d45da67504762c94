namespace AuthPlatform.Application.Common.Security;

public enum PasswordCheck
{
    Failed,
    Success,
    /// <summary>Right password, but the hash is weaker than the current settings: store a new one.</summary>
    SuccessRehashNeeded,
}

/// <summary>The slow hash for human-chosen secrets (passwords, recovery codes).</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    PasswordCheck Verify(string hash, string password);

    /// <summary>Spends the time of one verification on nothing, so an unknown email answers as slowly as a wrong password.</summary>
    void VerifyAgainstDummy(string password);
}

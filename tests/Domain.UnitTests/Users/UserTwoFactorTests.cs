using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Domain.UnitTests.Users;

public sealed class UserTwoFactorTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;

    private static User NewUser()
    {
        var user = User.Register(Guid.NewGuid(), EmailAddress.Create("alice@example.com"), "Alice", "hash-1", "stamp-1", Now);
        user.DequeueDomainEvents(); // as loaded: a stored user has no pending events
        return user;
    }

    private static List<RecoveryCode> Codes(Guid userId, int count = User.RecoveryCodeCount, string tag = "a") =>
        Enumerable.Range(0, count)
            .Select(i => RecoveryCode.Create(Guid.NewGuid(), userId, $"{tag}{i:000}", $"code-hash-{tag}{i}", Now))
            .ToList();

    private static User EnabledUser(long step = 100)
    {
        var user = NewUser();
        user.BeginTwoFactorSetup("protected-secret");
        user.EnableTwoFactor(step, Codes(user.Id), Now);
        user.DequeueDomainEvents();
        return user;
    }

    [Fact]
    public void Register_NewUser_HasTwoFactorOff()
    {
        var user = NewUser();

        Assert.False(user.TwoFactorEnabled);
        Assert.Null(user.TotpSecret);
        Assert.Null(user.PendingTotpSecret);
        Assert.Null(user.LastTotpStep);
        Assert.Empty(user.RecoveryCodes);
        Assert.Equal(0, user.RecoveryCodesLeft);
    }

    [Fact]
    public void BeginTwoFactorSetup_WhenOff_StoresPendingSecretOnly()
    {
        var user = NewUser();

        user.BeginTwoFactorSetup("protected-secret");

        Assert.Equal("protected-secret", user.PendingTotpSecret);
        Assert.Null(user.TotpSecret);
        Assert.False(user.TwoFactorEnabled);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void BeginTwoFactorSetup_CalledAgain_ReplacesPendingSecret()
    {
        var user = NewUser();
        user.BeginTwoFactorSetup("first");

        user.BeginTwoFactorSetup("second");

        Assert.Equal("second", user.PendingTotpSecret);
    }

    [Fact]
    public void BeginTwoFactorSetup_WhenEnabled_ThrowsAndKeepsSecrets()
    {
        var user = EnabledUser();

        Assert.Throws<DomainException>(() => user.BeginTwoFactorSetup("another-secret"));
        Assert.Equal("protected-secret", user.TotpSecret);
        Assert.Null(user.PendingTotpSecret);
        Assert.True(user.TwoFactorEnabled);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void BeginTwoFactorSetup_WithBlankSecret_ThrowsDomainException(string secret)
    {
        Assert.Throws<DomainException>(() => NewUser().BeginTwoFactorSetup(secret));
    }

    [Fact]
    public void EnableTwoFactor_WithoutPendingSecret_ThrowsAndStaysOff()
    {
        var user = NewUser();

        Assert.Throws<DomainException>(() => user.EnableTwoFactor(100, Codes(user.Id), Now));
        Assert.False(user.TwoFactorEnabled);
        Assert.Null(user.TotpSecret);
        Assert.Empty(user.RecoveryCodes);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void EnableTwoFactor_WithPendingSecret_MovesItToTotpSecretAndTurnsOn()
    {
        var user = NewUser();
        user.BeginTwoFactorSetup("protected-secret");
        var codes = Codes(user.Id);

        user.EnableTwoFactor(12345, codes, Now.AddMinutes(1));

        Assert.True(user.TwoFactorEnabled);
        Assert.Equal(Now.AddMinutes(1), user.TwoFactorEnabledAt);
        Assert.Equal("protected-secret", user.TotpSecret);
        Assert.Null(user.PendingTotpSecret);
        Assert.Equal(12345, user.LastTotpStep);
        Assert.Equal(codes, user.RecoveryCodes);
        Assert.Equal(User.RecoveryCodeCount, user.RecoveryCodesLeft);
        Assert.Equal(new TwoFactorEnabled(user.Id), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void EnableTwoFactor_WhenAlreadyOn_ThrowsAndKeepsState()
    {
        var user = EnabledUser(step: 100);
        var before = user.RecoveryCodes.ToList();

        Assert.Throws<DomainException>(() => user.EnableTwoFactor(200, Codes(user.Id, tag: "b"), Now));
        Assert.Equal(100, user.LastTotpStep);
        Assert.Equal(before, user.RecoveryCodes);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void EnableTwoFactor_WithWrongRecoveryCodeCount_ThrowsAndLeavesEnrolmentPending()
    {
        var user = NewUser();
        user.BeginTwoFactorSetup("protected-secret");

        Assert.Throws<DomainException>(() => user.EnableTwoFactor(100, Codes(user.Id, count: 9), Now));
        Assert.False(user.TwoFactorEnabled);
        Assert.Equal("protected-secret", user.PendingTotpSecret);
        Assert.Null(user.TotpSecret);
        Assert.Null(user.LastTotpStep);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(11)]
    public void ReplaceRecoveryCodes_WithWrongCount_ThrowsAndKeepsOldCodes(int count)
    {
        var user = EnabledUser();
        var before = user.RecoveryCodes.ToList();

        Assert.Throws<DomainException>(() => user.ReplaceRecoveryCodes(Codes(user.Id, count, tag: "b")));
        Assert.Equal(before, user.RecoveryCodes);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void ReplaceRecoveryCodes_WithACodeOfAnotherUser_ThrowsAndKeepsOldCodes()
    {
        var user = EnabledUser();
        var before = user.RecoveryCodes.ToList();
        var codes = Codes(user.Id, User.RecoveryCodeCount - 1, tag: "b");
        codes.Add(RecoveryCode.Create(Guid.NewGuid(), Guid.NewGuid(), "zzzz", "other-hash", Now));

        Assert.Throws<DomainException>(() => user.ReplaceRecoveryCodes(codes));
        Assert.Equal(before, user.RecoveryCodes);
    }

    [Fact]
    public void ReplaceRecoveryCodes_WithTenOwnCodes_ReplacesAllOldOnes()
    {
        var user = EnabledUser();
        var fresh = Codes(user.Id, tag: "b");

        user.ReplaceRecoveryCodes(fresh);

        Assert.Equal(fresh, user.RecoveryCodes);
        Assert.All(user.RecoveryCodes, c => Assert.StartsWith("b", c.Locator));
        Assert.Equal(User.RecoveryCodeCount, user.RecoveryCodesLeft);
        Assert.Equal(new RecoveryCodesRegenerated(user.Id), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void ReplaceRecoveryCodes_WhenTwoFactorIsOff_ThrowsAndRaisesNothing()
    {
        var user = NewUser();

        Assert.Throws<DomainException>(() => user.ReplaceRecoveryCodes(Codes(user.Id)));
        Assert.Empty(user.RecoveryCodes);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void ReplaceRecoveryCodes_AfterTwoFactorWasDisabled_Throws()
    {
        var user = EnabledUser();
        user.DisableTwoFactor();

        Assert.Throws<DomainException>(() => user.ReplaceRecoveryCodes(Codes(user.Id, tag: "b")));
        Assert.Empty(user.RecoveryCodes);
    }

    [Fact]
    public void DisableTwoFactor_WhenOn_ClearsEverything()
    {
        var user = EnabledUser();

        user.DisableTwoFactor();

        Assert.False(user.TwoFactorEnabled);
        Assert.Null(user.TwoFactorEnabledAt);
        Assert.Null(user.TotpSecret);
        Assert.Null(user.PendingTotpSecret);
        Assert.Null(user.LastTotpStep);
        Assert.Empty(user.RecoveryCodes);
        Assert.Equal(0, user.RecoveryCodesLeft);
        Assert.Equal(new TwoFactorDisabled(user.Id), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void DisableTwoFactor_DuringEnrolment_ClearsPendingSecret()
    {
        var user = NewUser();
        user.BeginTwoFactorSetup("protected-secret");

        user.DisableTwoFactor();

        Assert.Null(user.PendingTotpSecret);
    }

    [Fact]
    public void DisableTwoFactor_ThenSetupAgain_IsAllowed()
    {
        var user = EnabledUser();
        user.DisableTwoFactor();

        user.BeginTwoFactorSetup("new-secret");
        user.EnableTwoFactor(7, Codes(user.Id, tag: "c"), Now);

        Assert.True(user.TwoFactorEnabled);
        Assert.Equal("new-secret", user.TotpSecret);
        Assert.Equal(7, user.LastTotpStep);
    }

    [Fact]
    public void RecoveryCodesLeft_CountsOnlyUnusedCodes()
    {
        var user = NewUser();
        user.BeginTwoFactorSetup("protected-secret");
        var codes = Codes(user.Id);
        MarkUsed(codes[0], Now);
        MarkUsed(codes[3], Now);
        MarkUsed(codes[9], Now);

        user.EnableTwoFactor(1, codes, Now);

        Assert.Equal(User.RecoveryCodeCount, user.RecoveryCodes.Count);
        Assert.Equal(7, user.RecoveryCodesLeft);
    }

    [Fact]
    public void RecordRecoveryCodeUsed_WithTenUnusedCodes_RaisesRecoveryCodeUsedWithNineLeft()
    {
        var user = EnabledUser();

        user.RecordRecoveryCodeUsed();

        Assert.Equal(new RecoveryCodeUsed(user.Id, 9), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void RecordRecoveryCodeUsed_WithCodesAlreadyUsed_CountsTheOneTheStoreJustMarked()
    {
        var user = EnabledUser();
        MarkUsed(user.RecoveryCodes.First(), Now);
        MarkUsed(user.RecoveryCodes.Last(), Now);

        user.RecordRecoveryCodeUsed();

        // The store marked a third code used; the codes loaded before that still show it unused.
        Assert.Equal(new RecoveryCodeUsed(user.Id, 7), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void RecordRecoveryCodeUsed_WithNoCodeLeft_NeverReportsANegativeCount()
    {
        var user = EnabledUser();
        foreach (var code in user.RecoveryCodes)
        {
            MarkUsed(code, Now);
        }

        user.RecordRecoveryCodeUsed();

        Assert.Equal(new RecoveryCodeUsed(user.Id, 0), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void RecoveryCode_Create_KeepsLocatorAndHashOnly()
    {
        var id = Guid.NewGuid();
        var userId = Guid.NewGuid();

        var code = RecoveryCode.Create(id, userId, "abcd", "slow-hash", Now);

        Assert.Equal(id, code.Id);
        Assert.Equal(userId, code.UserId);
        Assert.Equal("abcd", code.Locator);
        Assert.Equal("slow-hash", code.CodeHash);
        Assert.Equal(Now, code.CreatedAt);
        Assert.Null(code.UsedAt);
    }

    [Fact]
    public void RecoveryCode_Create_WithBlankLocatorOrHash_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => RecoveryCode.Create(Guid.NewGuid(), Guid.NewGuid(), " ", "h", Now));
        Assert.Throws<DomainException>(() => RecoveryCode.Create(Guid.NewGuid(), Guid.NewGuid(), "abcd", "", Now));
        Assert.Throws<DomainException>(() => RecoveryCode.Create(Guid.NewGuid(), Guid.NewGuid(), new string('a', 17), "h", Now));
    }

    /// <summary>
    /// Redemption is an atomic database update (ISecondFactorStore), so the entity has no public
    /// setter for it; the test sets the stored value the way EF Core materialises it.
    /// </summary>
    private static void MarkUsed(RecoveryCode code, DateTimeOffset at) => code.WithStored(nameof(RecoveryCode.UsedAt), at);
}

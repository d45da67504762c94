using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.Email).HasConversion<EmailAddressConverter>().HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.Property(u => u.NormalizedEmail).HasMaxLength(User.MaxEmailLength).IsRequired();
        builder.HasIndex(u => u.NormalizedEmail).IsUnique();
        builder.Property(u => u.Name).HasMaxLength(User.MaxNameLength).IsRequired();
        builder.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.PasswordHash).HasMaxLength(1024).IsRequired();
        builder.Property(u => u.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Property(u => u.TotpSecret).HasMaxLength(1024);
        builder.Property(u => u.PendingTotpSecret).HasMaxLength(1024);
        builder.Ignore(u => u.RecoveryCodesLeft);
        builder.HasMany(u => u.RecoveryCodes).WithOne().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(u => u.RecoveryCodes).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

public sealed class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> builder)
    {
        builder.ToTable("recovery_codes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Locator).HasMaxLength(16).IsRequired();
        builder.Property(c => c.CodeHash).HasMaxLength(1024).IsRequired();
        builder.HasIndex(c => new { c.UserId, c.Locator });
    }
}

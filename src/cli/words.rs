//! The CLI's wording rules (its messages are in English).

/// A count with its noun: "1 account", "3 accounts", "0 accounts".
pub(super) fn count(n: usize, one: &str, other: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { other })
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_read_one_account_and_three_accounts() {
        let accounts = |n| super::count(n, "account", "accounts");
        assert_eq!(accounts(1), "1 account");
        assert_eq!(accounts(3), "3 accounts");
        assert_eq!(accounts(0), "0 accounts");
    }
}

"""The capture mailbox: e-mails and meeting invitations logged without typing them.

An account manager BCCs their launchpad's capture address, forwards a thread to it or
invites it to a meeting. ``mailbox`` reads the IMAP mailbox, ``parsing`` reads each message
(no database), ``matching`` finds its sender, launchpad and SME, and ``services`` records it
once, as a draft contact on the SME or in the launchpad's triage list, until someone
confirms it onto the progress sheet.
"""

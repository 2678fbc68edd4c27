-- The number a fax came from, as the fax server tells it (caller id / transmitting station id).
ALTER TABLE inbound_item ADD COLUMN sender_fax text;

create table things (id bigint primary key, legacy varchar(20));

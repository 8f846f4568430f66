-- The original system's WEMECustom tables, as far as the import reads them. The original repository holds no
-- DDL: columns and defaults follow ORIGINAL-BEHAVIOUR.md section 2 (inferred from its SQL and a row dump), the
-- types are our inference. Used by the legacy fixture and the at-scale generator; never by the service itself.

CREATE TABLE channelCatalog (
  id int NOT NULL,
  name varchar(64) NOT NULL DEFAULT '',
  introduction varchar(255) NOT NULL DEFAULT '',
  catalogType tinyint NOT NULL DEFAULT 0,
  validity tinyint NOT NULL DEFAULT 1,
  sortIndex int NOT NULL DEFAULT 0,
  logoURL varchar(255) NOT NULL DEFAULT '',
  createTime int NOT NULL DEFAULT 0,
  updateTime int NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE checkSecretChannelInfo (
  id int NOT NULL AUTO_INCREMENT,
  idx varchar(10) NOT NULL,
  number varchar(10) NOT NULL,
  name varchar(64) NOT NULL DEFAULT '',
  introduction varchar(255) NOT NULL DEFAULT '',
  cityCode int NOT NULL DEFAULT 0,
  cityName varchar(64) NOT NULL DEFAULT '',
  catalogID int NOT NULL DEFAULT 0,
  catalogName varchar(64) NOT NULL DEFAULT '',
  logoURL varchar(255) NOT NULL DEFAULT '',
  accountID varchar(20) NOT NULL DEFAULT '',
  inviteUniqueCode varchar(64) NOT NULL DEFAULT '',
  openType tinyint NOT NULL DEFAULT 1,
  capacity int NOT NULL DEFAULT 1000,
  createTime int NOT NULL DEFAULT 0,
  updateTime int NOT NULL DEFAULT 0,
  channelStatus tinyint NOT NULL DEFAULT 1,
  remark varchar(255) NOT NULL DEFAULT '',
  isVerify tinyint NOT NULL DEFAULT 0,
  keyWords varchar(128) NOT NULL DEFAULT '',
  channelNameURL varchar(255) NOT NULL DEFAULT '',
  channelType tinyint NOT NULL DEFAULT 0,
  userCount int NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY idx_number (number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE joinMemberList (
  id int NOT NULL AUTO_INCREMENT,
  idx varchar(10) NOT NULL,
  number varchar(10) NOT NULL,
  accountID varchar(20) NOT NULL,
  uniqueCode varchar(64) NOT NULL DEFAULT '',
  createTime int NOT NULL DEFAULT 0,
  updateTime int NOT NULL DEFAULT 0,
  validity tinyint NOT NULL DEFAULT 1,
  talkStatus tinyint NOT NULL DEFAULT 1,
  role tinyint NOT NULL DEFAULT 0,
  actionType int NOT NULL DEFAULT 0,
  isNeedVerifyFlag tinyint NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY idx_number_account (number, accountID),
  KEY idx_account (accountID)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE userKeyInfo (
  accountID varchar(20) NOT NULL,
  actionType tinyint NOT NULL,
  customType int NOT NULL DEFAULT 0,
  customParameter varchar(64) NOT NULL DEFAULT '',
  remark varchar(64) NOT NULL DEFAULT '',
  createTime int NOT NULL DEFAULT 0,
  updateTime int NOT NULL DEFAULT 0,
  validity tinyint NOT NULL DEFAULT 1,
  PRIMARY KEY (accountID, actionType)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE userVerifyMsgInfo (
  id int NOT NULL AUTO_INCREMENT,
  accountID varchar(20) NOT NULL,
  role tinyint NOT NULL DEFAULT 1,
  idx varchar(10) NOT NULL,
  number varchar(10) NOT NULL,
  status tinyint NOT NULL DEFAULT 0,
  uniqueCode varchar(64) NOT NULL DEFAULT '',
  applyAccountID varchar(20) NOT NULL,
  applyNickname varchar(64) NOT NULL DEFAULT '',
  applyRemark varchar(255) NOT NULL DEFAULT '',
  applyCount int NOT NULL DEFAULT 1,
  isNeedBindKey tinyint NOT NULL DEFAULT 0,
  checkRemark varchar(255) NOT NULL DEFAULT '',
  createTime int NOT NULL DEFAULT 0,
  updateTime int NOT NULL DEFAULT 0,
  validity tinyint NOT NULL DEFAULT 1,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE userChannelList (
  id int NOT NULL AUTO_INCREMENT,
  idx varchar(10) NOT NULL,
  number varchar(16) NOT NULL,
  accountID varchar(20) NOT NULL,
  checkAccountID varchar(20) NOT NULL DEFAULT '',
  channelType tinyint NOT NULL DEFAULT 0,
  createTime int NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE applyMicroChannelInfo (
  id int NOT NULL AUTO_INCREMENT,
  number varchar(16) NOT NULL,
  name varchar(64) NOT NULL DEFAULT '',
  introduction varchar(255) NOT NULL DEFAULT '',
  cityCode int NOT NULL DEFAULT 0,
  cityName varchar(64) NOT NULL DEFAULT '',
  catalogID int NOT NULL DEFAULT 0,
  catalogName varchar(64) NOT NULL DEFAULT '',
  chiefAnnouncerIntr varchar(255) NOT NULL DEFAULT '',
  logoURL varchar(255) NOT NULL DEFAULT '',
  accountID varchar(20) NOT NULL,
  createTime int NOT NULL DEFAULT 0,
  keyWords varchar(128) NOT NULL DEFAULT '',
  checkStatus tinyint NOT NULL DEFAULT 0,
  checkAccountID varchar(20) NOT NULL DEFAULT '',
  checkTime int NOT NULL DEFAULT 0,
  checkRemark varchar(255) NOT NULL DEFAULT '',
  checkAppKey varchar(16) NOT NULL DEFAULT '',
  remark varchar(255) NOT NULL DEFAULT '',
  count int NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE checkMicroChannelInfo (
  idx varchar(10) NOT NULL,
  number varchar(16) NOT NULL,
  name varchar(64) NOT NULL DEFAULT '',
  introduction varchar(255) NOT NULL DEFAULT '',
  cityCode int NOT NULL DEFAULT 0,
  cityName varchar(64) NOT NULL DEFAULT '',
  catalogID int NOT NULL DEFAULT 0,
  catalogName varchar(64) NOT NULL DEFAULT '',
  chiefAnnouncerIntr varchar(255) NOT NULL DEFAULT '',
  logoURL varchar(255) NOT NULL DEFAULT '',
  keyWords varchar(128) NOT NULL DEFAULT '',
  channelNameURL varchar(255) NOT NULL DEFAULT '',
  accountID varchar(20) NOT NULL,
  inviteUniqueCode varchar(64) NOT NULL DEFAULT '',
  createTime int NOT NULL DEFAULT 0,
  updateTime int NOT NULL DEFAULT 0,
  channelStatus tinyint NOT NULL DEFAULT 1,
  remark varchar(255) NOT NULL DEFAULT '',
  userCount int NOT NULL DEFAULT 0,
  popularity int NOT NULL DEFAULT 0,
  PRIMARY KEY (idx)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE modifyMicroChannelInfo (
  id int NOT NULL AUTO_INCREMENT,
  idx varchar(10) NOT NULL,
  number varchar(16) NOT NULL,
  name varchar(64) NOT NULL DEFAULT '',
  introduction varchar(255) NOT NULL DEFAULT '',
  cityCode int NOT NULL DEFAULT 0,
  cityName varchar(64) NOT NULL DEFAULT '',
  catalogID int NOT NULL DEFAULT 0,
  catalogName varchar(64) NOT NULL DEFAULT '',
  chiefAnnouncerIntr varchar(255) NOT NULL DEFAULT '',
  logoURL varchar(255) NOT NULL DEFAULT '',
  keyWords varchar(128) NOT NULL DEFAULT '',
  channelNameURL varchar(255) NOT NULL DEFAULT '',
  inviteUniqueCode varchar(64) NOT NULL DEFAULT '',
  accountID varchar(20) NOT NULL,
  createTime int NOT NULL DEFAULT 0,
  updateTime int NOT NULL DEFAULT 0,
  channelStatus tinyint NOT NULL DEFAULT 2,
  checkAccountID varchar(20) NOT NULL DEFAULT '',
  remark varchar(255) NOT NULL DEFAULT '',
  checkAppKey varchar(16) NOT NULL DEFAULT '',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
